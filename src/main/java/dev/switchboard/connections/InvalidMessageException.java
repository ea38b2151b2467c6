package dev.switchboard.connections;

import dev.switchboard.SwitchboardException;

/** A client's text frame was not a JSON object; the message says why and is what the client is told. */
public class InvalidMessageException extends SwitchboardException {

    private static final long serialVersionUID = 1L;

    /** @param message why the frame was refused */
    public InvalidMessageException(String message) {
        super(message);
    }
}
