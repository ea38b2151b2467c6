package dev.switchboard.connections;

/**
 * Fired (sync) when an endpoint reports a new connection with {@link Connections#opened}, before any message of it.
 * The reference's {@code "ws.connected"} and {@code "connection.init"}.
 *
 * @param connection the new connection
 */
public record ConnectionOpened(Connection connection) implements ConnectionEvent {
}
