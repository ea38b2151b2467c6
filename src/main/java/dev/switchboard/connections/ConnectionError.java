package dev.switchboard.connections;

/**
 * Fired (sync) when a connection's client sent a frame Switchboard refuses ({@link InvalidMessageException}) or the
 * container reported an error on it. The connection stays open unless the error closed it.
 *
 * @param connection the connection the error happened on
 * @param error what went wrong
 */
public record ConnectionError(Connection connection, Throwable error) implements ConnectionEvent {
}
