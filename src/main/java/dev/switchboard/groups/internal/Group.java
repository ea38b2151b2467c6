package dev.switchboard.groups.internal;

import dev.switchboard.connections.internal.Frame;
import dev.switchboard.connections.internal.FrameCallback;
import dev.switchboard.connections.internal.SessionConnection;
import dev.switchboard.groups.GroupInfo;
import dev.switchboard.groups.GroupMember;
import dev.switchboard.groups.GroupMessage;
import dev.switchboard.groups.GroupPolicy;
import dev.switchboard.groups.Join;
import dev.switchboard.groups.Position;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;

/**
 * One group: its members, its offsets and its history. Every change, and every send, happens under the group's
 * monitor, so that a message's offset, its place in history and the members it is queued to are one atomic step:
 * that is what makes a resume seamless (a joiner gets each message either from history or live, never both, never
 * neither). Sends only queue frames (no network write waits), so the monitor is held for microseconds per member.
 */
final class Group {

    private static final SessionConnection[] NONE = new SessionConnection[0];
    private static final FrameCallback IGNORE = (connection, failure) -> { };

    final String name;
    final String epoch = UUID.randomUUID().toString().substring(0, 8);
    final GroupPolicy policy;
    final LongAdder dropped = new LongAdder();
    final LongAdder slowClosed = new LongAdder();

    // Guarded by this.
    private final Map<SessionConnection, GroupMember> members = new LinkedHashMap<>();
    private SessionConnection[] snapshot = NONE; // copy-on-write: a send iterates it while members change
    private final ArrayDeque<Stored> history = new ArrayDeque<>();
    private long historyBytes;
    private long lastOffset;
    private boolean removed;

    private record Stored(long offset, Frame frame) {
    }

    Group(String name, GroupPolicy policy) {
        this.name = name;
        this.policy = policy;
    }

    /** @return false once the group was emptied and dropped from the registry: callers start over with a new one */
    boolean live() {
        return !removed;
    }

    /**
     * Adds {@code member} (nothing if it already is one), replaying history first when it resumes.
     *
     * @return the new member's entry, or null if it already was a member
     */
    GroupMember add(SessionConnection member, Join join, Instant now) {
        if (members.containsKey(member)) {
            return null;
        }
        join.resumeFrom().ifPresent(from -> replay(member, from));
        GroupMember entry = new GroupMember(member, member.principal().map(p -> p.getName()), now, join.attributes());
        members.put(member, entry);
        SessionConnection[] grown = Arrays.copyOf(snapshot, snapshot.length + 1);
        grown[snapshot.length] = member;
        snapshot = grown;
        return entry;
    }

    private void replay(SessionConnection member, Position from) {
        long first = firstRetainedOffset();
        boolean seamless = policy.keepsHistory() && from.epoch().equals(epoch)
                && from.offset() >= first - 1 && from.offset() <= lastOffset;
        long after = seamless ? from.offset() : first - 1;
        if (!seamless) {
            member.replay(Frame.of("{\"type\":\"reset\",\"epoch\":\"" + epoch + "\",\"offset\":" + after + "}"),
                    IGNORE);
        }
        for (Stored stored : history) {
            if (stored.offset() > after) {
                member.replay(stored.frame(), IGNORE);
            }
        }
    }

    /**
     * Removes {@code member}; marks the group removed when it is the last.
     *
     * @return its entry, or null if it was not a member
     */
    GroupMember remove(SessionConnection member) {
        GroupMember entry = members.remove(member);
        if (entry != null) {
            snapshot = members.keySet().toArray(NONE);
            if (members.isEmpty()) {
                removed = true;
            }
        }
        return entry;
    }

    /** @return the position a member joining now would be at */
    Position position() {
        return new Position(epoch, lastOffset);
    }

    /**
     * Gives the next message its offset, stamps it if the group keeps history, and remembers it.
     *
     * @param json the encoded payload
     * @return the frame to queue to every member of {@link #members()}
     */
    Frame next(String json) {
        long offset = ++lastOffset;
        if (!policy.keepsHistory()) {
            return Frame.of(json);
        }
        Frame frame = Frame.of(stamp(json, offset));
        history.addLast(new Stored(offset, frame));
        historyBytes += frame.bytes();
        while (history.size() > policy.historyMessages() || historyBytes > policy.historyBytes()) {
            historyBytes -= history.removeFirst().frame().bytes();
        }
        return frame;
    }

    private String stamp(String json, long offset) {
        if (json.length() < 2 || json.charAt(0) != '{' || json.charAt(json.length() - 1) != '}') {
            throw new IllegalArgumentException("group \"" + name + "\" keeps history, so a message must be a JSON "
                    + "object (it gets \"offset\" and \"epoch\" members), got: "
                    + (json.length() > 60 ? json.substring(0, 60) + "..." : json));
        }
        String separator = json.length() > 2 ? "," : "";
        return json.substring(0, json.length() - 1) + separator + "\"offset\":" + offset + ",\"epoch\":\"" + epoch
                + "\"}";
    }

    /** @return the offset the last {@link #next} gave */
    long lastOffset() {
        return lastOffset;
    }

    SessionConnection[] members() {
        return snapshot;
    }

    private long firstRetainedOffset() {
        return history.isEmpty() ? lastOffset + 1 : history.peekFirst().offset();
    }

    List<GroupMessage> history(long afterOffset) {
        List<GroupMessage> after = new ArrayList<>();
        for (Stored stored : history) {
            if (stored.offset() > afterOffset) {
                after.add(new GroupMessage(stored.offset(), stored.frame().text()));
            }
        }
        return after;
    }

    GroupInfo info() {
        return new GroupInfo(name, epoch, policy, List.copyOf(members.values()), lastOffset, firstRetainedOffset(),
                history.size(), historyBytes, dropped.sum(), slowClosed.sum());
    }
}
