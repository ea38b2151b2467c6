/**
 * Endpoints that cannot forget the wiring: {@link dev.switchboard.endpoints.SwitchboardEndpoint} on a class makes it a
 * WebSocket endpoint with CDI injection, the handshake guard, the lifecycle events and limits, and a {@code
 * Connection} to send through.
 */
package dev.switchboard.endpoints;
