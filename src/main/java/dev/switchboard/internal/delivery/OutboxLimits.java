package dev.switchboard.internal.delivery;

import dev.switchboard.connections.Overflow;

/** The outbox settings a sender to many members needs before it queues anything. */
public interface OutboxLimits {

    /** The key of {@link #overflow()}. */
    String OVERFLOW = "switchboard.outbox.overflow";

    /** The key of {@link #maxBytes()}. */
    String MAX_BYTES = "switchboard.outbox.max-bytes";

    /** @return what a full outbox does unless a group's policy says otherwise ({@code switchboard.outbox.overflow}) */
    Overflow overflow();

    /** @return most UTF-8 bytes one outbox holds ({@code switchboard.outbox.max-bytes}) */
    long maxBytes();
}
