package dev.switchboard.connections;

import dev.switchboard.SwitchboardException;

/** A write to a connection did not complete within {@code switchboard.outbox.send-timeout-ms}; it was closed. */
public class SlowConsumerException extends SwitchboardException {

    private static final long serialVersionUID = 1L;

    /** @param message the connection, the timeout and how long the write had taken */
    public SlowConsumerException(String message) {
        super(message);
    }
}
