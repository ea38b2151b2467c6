/**
 * Switchboard: WebSockets joined to CDI events, with groups (rooms) of connections.
 *
 * <ul>
 *   <li>{@link dev.switchboard.endpoints}: {@code @SwitchboardEndpoint}, which makes a class a WebSocket endpoint that
 *       cannot forget the wiring.</li>
 *   <li>{@link dev.switchboard.events}: namespaced CDI events and an emitter that never lets an observer's
 *       failure reach the caller.</li>
 *   <li>{@link dev.switchboard.connections}: the connection handle, the lifecycle events, and the exceptions a send
 *       fails with.</li>
 *   <li>{@link dev.switchboard.once}: the {@code @Once} interceptor binding.</li>
 *   <li>{@link dev.switchboard.groups}: the group registry that pushes JSON to rooms of connections.</li>
 *   <li>{@link dev.switchboard.security}: the handshake guard and the credentials filter.</li>
 * </ul>
 *
 * MicroProfile Metrics and Health are published by the module itself (README, "Metrics and health"). Packages named
 * {@code internal} are not for applications.
 */
package dev.switchboard;
