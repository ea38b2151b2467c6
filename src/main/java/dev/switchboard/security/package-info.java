/**
 * Who may connect: {@link dev.switchboard.security.HandshakeGuard}, the endpoint configurator that checks the
 * {@code Origin} of every WebSocket handshake against an allow-list (cross-site WebSocket hijacking) and captures the
 * authenticated caller's roles for {@link dev.switchboard.connections.Connection#isUserInRole}; and {@link
 * dev.switchboard.security.CredentialsFilter}, which refuses a handshake whose credentials were not accepted (401)
 * rather than letting it connect anonymously.
 */
package dev.switchboard.security;
