package dev.switchboard.groups;

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
     * @param reason why: dropped by the overflow policy (with the bound), connection closed, write failed
     */
    public record Failure(String connectionId, String reason) {
    }
}
