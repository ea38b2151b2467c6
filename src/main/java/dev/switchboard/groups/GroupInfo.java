package dev.switchboard.groups;

import java.util.List;

/**
 * A snapshot of one group, for presence and operators.
 *
 * @param name the group
 * @param epoch its history epoch: new each time the group is created
 * @param policy its policy
 * @param members its members, in the order they joined; immutable
 * @param lastOffset the offset of its latest message (0 if none yet)
 * @param firstRetainedOffset the offset of the oldest message still in history ({@code lastOffset + 1} if none)
 * @param historyMessages messages in history
 * @param historyBytes bytes in history
 * @param dropped messages of this group that a member did not get: dropped by an overflow policy, or lost when the
 *     member was closed or its write failed
 * @param slowClosed members closed as slow consumers (outbox full under {@code CLOSE}, or send timeout)
 */
public record GroupInfo(String name, String epoch, GroupPolicy policy, List<GroupMember> members, long lastOffset,
        long firstRetainedOffset, int historyMessages, long historyBytes, long dropped, long slowClosed) {

    /** Copies the members. */
    public GroupInfo {
        members = List.copyOf(members);
    }
}
