package dev.switchboard.connections;

import dev.switchboard.SwitchboardException;

/**
 * A message was not sent because its connection had closed (or closed before the message's turn came). {@link
 * #getCause()} is what closed it when Switchboard did: an {@link OutboxFullException} or a {@link
 * SlowConsumerException} for a client that could not keep up.
 */
public class ConnectionClosedException extends SwitchboardException {

    private static final long serialVersionUID = 1L;

    private final int closeCode;

    /**
     * @param message the connection and how it closed
     * @param closeCode the WebSocket close code it closed with (1006 if none was exchanged)
     * @param cause what made Switchboard close it, or null if the client or the application did
     */
    public ConnectionClosedException(String message, int closeCode, Throwable cause) {
        super(message, cause);
        this.closeCode = closeCode;
    }

    /** @return the WebSocket close code the connection closed with */
    public int closeCode() {
        return closeCode;
    }
}
