package dev.switchboard.connections.internal;

import dev.switchboard.connections.Overflow;

/**
 * What an outbox does with a new frame, decided apart from the queue it acts on: queue it; refuse it (it can never
 * fit, or the policy drops the newest); make room by evicting the oldest frames of its lane; or close the connection.
 */
enum Admission {
    QUEUE,
    REFUSE,
    EVICT_OLDEST,
    CLOSE;

    /**
     * @param fits true if the frame fits within both bounds as the outbox is now
     * @param largerThanOutbox true if it is larger than the byte bound itself: no policy can make room for it
     * @param overflow the policy for a full outbox
     */
    static Admission of(boolean fits, boolean largerThanOutbox, Overflow overflow) {
        if (fits) {
            return QUEUE;
        }
        if (largerThanOutbox) {
            return REFUSE; // under CLOSE too: a message no outbox can hold says nothing about the client
        }
        return switch (overflow) {
            case DROP_OLDEST -> EVICT_OLDEST;
            case DROP_NEWEST -> REFUSE;
            case CLOSE -> CLOSE;
        };
    }
}
