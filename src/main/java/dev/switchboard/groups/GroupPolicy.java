package dev.switchboard.groups;

import dev.switchboard.connections.Overflow;
import java.util.Objects;

/**
 * How a group treats slow members and whether it keeps history. Set with {@link Groups#policy}; groups without one
 * use the configured defaults ({@code switchboard.outbox.overflow}, {@code switchboard.group.history-messages},
 * {@code switchboard.group.history-bytes}).
 *
 * <p>A group that keeps history ({@code historyMessages > 0}) stamps every message: the JSON object sent gets two more
 * members, {@code "offset"} (one more than the group's previous message) and {@code "epoch"} (which changes whenever
 * the history restarts), so clients can resume; its payloads must encode to JSON objects.
 *
 * @param overflow what a member's full outbox does with this group's messages
 * @param historyMessages most messages kept for resume; 0 keeps none and does not stamp
 * @param historyBytes most bytes (UTF-8) kept for resume; the oldest messages go first
 */
public record GroupPolicy(Overflow overflow, int historyMessages, long historyBytes) {

    /** Checks the values. */
    public GroupPolicy {
        Objects.requireNonNull(overflow, "overflow");
        if (historyMessages < 0) {
            throw new IllegalArgumentException("historyMessages must be 0 or more, got " + historyMessages);
        }
        if (historyBytes < 0) {
            throw new IllegalArgumentException("historyBytes must be 0 or more, got " + historyBytes);
        }
    }

    /**
     * A group that closes a member that cannot keep up (1013; the client resumes from its last offset) and keeps the
     * last {@code messages} messages, up to 1 MiB, for resume.
     *
     * @param messages most messages kept; at least 1
     * @return the policy
     */
    public static GroupPolicy withHistory(int messages) {
        if (messages < 1) {
            throw new IllegalArgumentException("messages must be at least 1, got " + messages);
        }
        return new GroupPolicy(Overflow.CLOSE, messages, 1 << 20);
    }

    /** @return true if the group keeps history, and so stamps offsets and epochs */
    public boolean keepsHistory() {
        return historyMessages > 0 && historyBytes > 0;
    }
}
