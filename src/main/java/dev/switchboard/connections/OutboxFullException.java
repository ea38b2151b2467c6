package dev.switchboard.connections;

import dev.switchboard.SwitchboardException;

/** A message was refused because the connection's outbox was at its bound; the message quotes the bound. */
public class OutboxFullException extends SwitchboardException {

    private static final long serialVersionUID = 1L;

    /** @param message which bound was hit, its limit and the value observed */
    public OutboxFullException(String message) {
        super(message);
    }
}
