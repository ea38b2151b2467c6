package dev.switchboard.connections;

import jakarta.websocket.CloseReason;

/**
 * Fired (sync) once when a connection is gone: closed by either side, or aborted without a close frame (code 1006).
 * By then it has left every group.
 *
 * @param connection the closed connection
 * @param reason the close code and reason
 */
public record ConnectionClosed(Connection connection, CloseReason reason) implements ConnectionEvent {
}
