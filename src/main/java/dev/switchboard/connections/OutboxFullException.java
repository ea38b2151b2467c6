package dev.switchboard.connections;

import dev.switchboard.SwitchboardException;

/**
 * A message was dropped, or its connection closed, because the connection's outbox was at its bound
 * ({@code switchboard.outbox.max-messages}, {@code switchboard.outbox.max-bytes}); the fields say how full it was.
 */
public class OutboxFullException extends SwitchboardException {

    private static final long serialVersionUID = 1L;

    private final Overflow overflow;
    private final int messages;
    private final long bytes;
    private final int maxMessages;
    private final long maxBytes;

    /**
     * @param message which bound was hit, its limit and the value observed
     * @param overflow the policy that was applied
     * @param messages messages waiting in the outbox when it was applied
     * @param bytes UTF-8 bytes waiting (or, for a message larger than the outbox, that message's size)
     * @param maxMessages the outbox's bound in messages
     * @param maxBytes the outbox's bound in bytes
     */
    public OutboxFullException(String message, Overflow overflow, int messages, long bytes, int maxMessages,
            long maxBytes) {
        super(message);
        this.overflow = overflow;
        this.messages = messages;
        this.bytes = bytes;
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
    }

    /** @return what was done about it: this message refused, an older one dropped, or the connection closed */
    public Overflow overflow() {
        return overflow;
    }

    /** @return messages waiting in the outbox when the policy was applied */
    public int messages() {
        return messages;
    }

    /** @return UTF-8 bytes waiting in the outbox (for a message larger than the outbox: its size) */
    public long bytes() {
        return bytes;
    }

    /** @return the bound in messages, {@code switchboard.outbox.max-messages} */
    public int maxMessages() {
        return maxMessages;
    }

    /** @return the bound in bytes, {@code switchboard.outbox.max-bytes} */
    public long maxBytes() {
        return maxBytes;
    }
}
