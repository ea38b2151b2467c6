package dev.switchboard.groups;

import dev.switchboard.connections.ConnectionClosedException;
import dev.switchboard.connections.OutboxFullException;
import dev.switchboard.connections.Overflow;
import dev.switchboard.connections.SlowConsumerException;
import java.util.List;

/**
 * How one {@link Groups#send} went, once every member's write has ended.
 *
 * @param group the group sent to
 * @param offset the offset the message got in the group (0 if the group had no members)
 * @param delivered how many members the frame was written to
 * @param failures the members it did not reach, and why; immutable
 */
public record SendReport(String group, long offset, int delivered, List<Failure> failures) {

    /** Copies {@code failures}. */
    public SendReport {
        failures = List.copyOf(failures);
    }

    /** @return how many members the send was for: delivered plus failed */
    public int recipients() {
        return delivered + failures.size();
    }

    /**
     * One member the frame did not reach.
     *
     * @param connectionId the member's connection id
     * @param reason why, for code
     * @param detail why, in words: the bound and the value seen, the close code, the write's error
     */
    public record Failure(String connectionId, Reason reason, String detail) {
    }

    /** Why a member did not get a message. */
    public enum Reason {
        /** The group's overflow policy dropped it ({@code DROP_NEWEST}, {@code DROP_OLDEST}); the member stays. */
        DROPPED,
        /** The member could not keep up and was closed (1013): outbox full under {@code CLOSE}, or a write timed out. */
        SLOW_CONSUMER,
        /** The connection closed (the client left, or the application closed it) before the message was written. */
        CLOSED,
        /** The network write failed. */
        WRITE_FAILED;

        /**
         * @param failure what a frame's callback was told
         * @return the reason it stands for
         */
        public static Reason of(Throwable failure) {
            if (failure instanceof SlowConsumerException) {
                return SLOW_CONSUMER;
            }
            if (failure instanceof OutboxFullException full) {
                return full.overflow() == Overflow.CLOSE ? SLOW_CONSUMER : DROPPED;
            }
            if (failure instanceof ConnectionClosedException closed) {
                Throwable cause = closed.getCause();
                return cause instanceof SlowConsumerException
                        || cause instanceof OutboxFullException full && full.overflow() == Overflow.CLOSE
                        ? SLOW_CONSUMER : CLOSED;
            }
            return WRITE_FAILED;
        }
    }
}
