package dev.switchboard.connections;

import dev.switchboard.SwitchboardException;

/** A message was dropped because the connection's outbox was at its bound; the message quotes the bound. */
public class OutboxFullException extends SwitchboardException {

    private static final long serialVersionUID = 1L;

    private final Overflow overflow;

    /**
     * @param message which bound was hit, its limit and the value observed
     * @param overflow the policy that was applied
     */
    public OutboxFullException(String message, Overflow overflow) {
        super(message);
        this.overflow = overflow;
    }

    /** @return what was done about it: this message refused, an older one dropped, or the connection closed */
    public Overflow overflow() {
        return overflow;
    }
}
