package dev.switchboard.groups.internal;

import dev.switchboard.internal.delivery.Deferred;
import dev.switchboard.internal.delivery.Frame;
import dev.switchboard.internal.delivery.FrameSource;
import dev.switchboard.internal.delivery.Member;
import dev.switchboard.groups.GroupInfo;
import dev.switchboard.groups.GroupMember;
import dev.switchboard.groups.GroupMessage;
import dev.switchboard.groups.GroupPolicy;
import dev.switchboard.groups.Join;
import dev.switchboard.groups.Position;
import java.time.Instant;
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

    private static final Member[] NONE = new Member[0];

    final String name;
    // 60 random bits: a client that resumes with a stale epoch must not meet a new group's epoch by chance.
    final String epoch = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    final GroupPolicy policy;
    final LongAdder dropped = new LongAdder();
    final LongAdder slowClosed = new LongAdder();

    // Guarded by this.
    private final Map<Member, GroupMember> members = new LinkedHashMap<>();
    private Member[] snapshot = NONE; // copy-on-write: a send iterates it while members change
    private final History history;
    private long lastOffset;
    private boolean removed;

    Group(String name, GroupPolicy policy, History.Budget budget) {
        this.name = name;
        this.policy = policy;
        this.history = new History(policy.historyMessages(), policy.historyBytes(), budget);
    }

    /** @return false once the group was emptied and dropped from the registry: callers start over with a new one */
    boolean live() {
        return !removed;
    }

    /**
     * Adds {@code member} (nothing if it already is one), queueing its resume first when it asks for one.
     *
     * @return the new member's entry, or null if it already was a member
     */
    GroupMember add(Member member, Join join, Instant now, Deferred later) {
        if (members.containsKey(member)) {
            return null;
        }
        GroupMember entry = new GroupMember(member, member.principal().map(p -> p.getName()), now, join.attributes());
        join.resumeFrom().ifPresent(from -> member.resume(new Replay(member, entry, from), later));
        members.put(member, entry);
        Member[] grown = Arrays.copyOf(snapshot, snapshot.length + 1);
        grown[snapshot.length] = member;
        snapshot = grown;
        return entry;
    }

    /**
     * Removes {@code member}; marks the group removed, and gives its history back, when it is the last.
     *
     * @return its entry, or null if it was not a member
     */
    GroupMember remove(Member member) {
        GroupMember entry = members.remove(member);
        if (entry != null) {
            snapshot = members.keySet().toArray(NONE);
            if (members.isEmpty()) {
                removed = true;
                history.clear();
            }
        }
        return entry;
    }

    /** @return the position a member joining now would be at */
    Position position() {
        return new Position(epoch, lastOffset);
    }

    /**
     * Gives the next message its offset, stamps it if the group keeps history, and remembers it. Checks the message
     * before it takes an offset, so a refused message leaves no gap.
     *
     * @param payload the encoded payload
     * @return the frame to queue to every member of {@link #members()}
     * @throws IllegalArgumentException if the group keeps history and the payload is not an object
     */
    Frame next(Frame payload) {
        if (!policy.keepsHistory()) {
            lastOffset++;
            return payload;
        }
        String json = payload.text();
        checkStampable(json);
        long offset = ++lastOffset;
        Frame frame = Frame.of(stamp(json, offset));
        history.append(offset, frame);
        return frame;
    }

    private void checkStampable(String json) {
        if (json.length() < 2 || json.charAt(0) != '{' || json.charAt(json.length() - 1) != '}') {
            throw new IllegalArgumentException("group \"" + name + "\" keeps history, so a message must be a JSON "
                    + "object (it gets \"offset\" and \"epoch\" members), got: "
                    + (json.length() > 60 ? json.substring(0, 60) + "..." : json));
        }
    }

    private String stamp(String json, long offset) {
        String separator = json.length() > 2 ? "," : "";
        return json.substring(0, json.length() - 1) + separator + "\"offset\":" + offset + ",\"epoch\":\"" + epoch
                + "\"}";
    }

    /** Gives way to the other groups' history while the shared budget is over; see {@link History}. */
    void trimHistory() {
        history.trim();
    }

    /** @return bytes of history kept; may be read without the monitor, to order groups, not to decide */
    long historyBytes() {
        return history.bytes();
    }

    /** @return the offset the last {@link #next} gave */
    long lastOffset() {
        return lastOffset;
    }

    Member[] members() {
        return snapshot;
    }

    boolean contains(Member member) {
        return members.containsKey(member);
    }

    List<GroupMessage> history(long afterOffset) {
        List<GroupMessage> after = new ArrayList<>();
        for (long o = Math.max(afterOffset + 1, history.firstOffset(lastOffset)); o <= lastOffset; o++) {
            Frame frame = history.get(o);
            if (frame != null) {
                after.add(new GroupMessage(o, frame.text()));
            }
        }
        return after;
    }

    GroupInfo info() {
        return new GroupInfo(name, epoch, policy, List.copyOf(members.values()), lastOffset,
                history.firstOffset(lastOffset), history.size(), history.bytes(), dropped.sum(), slowClosed.sum());
    }

    /**
     * A member's resume: the messages after its position up to the last one sent before it joined, pulled from history
     * a batch at a time as its sender reaches them (later messages are queued live behind it). A position that is not
     * in history (another epoch, evicted, or ahead), or messages evicted before the sender got to them (also because
     * the group was emptied and dropped), are announced first with {@code {"type":"reset","group":..,"epoch":..,
     * "offset":n}}: history follows from {@code n + 1}. If the member leaves (or leaves and joins again) before the
     * replay is done, the rest is not sent: one reset to {@code until} says so, so the live messages queued behind it
     * never follow a silent gap, and a join/leave loop cannot make a connection replay history over and over.
     */
    private final class Replay implements FrameSource {
        private final Member member;
        private final GroupMember entry; // this membership: a later one of the same connection is another
        private final long until;   // the last offset sent before the join; later ones are queued live
        private long after;         // the last offset given to the member
        private boolean resetDue;

        // Runs under the group's monitor, in add().
        Replay(Member member, GroupMember entry, Position from) {
            this.member = member;
            this.entry = entry;
            this.until = lastOffset;
            boolean seamless = policy.keepsHistory() && from.epoch().equals(epoch)
                    && from.offset() >= history.firstOffset(lastOffset) - 1 && from.offset() <= lastOffset;
            this.after = seamless ? from.offset() : history.firstOffset(lastOffset) - 1;
            this.resetDue = !seamless;
        }

        @Override
        public List<Frame> next(int max) {
            synchronized (Group.this) {
                if (members.get(member) != entry && after < until) {
                    after = until; // left before the replay was done: say so once, send nothing more
                    return List.of(reset());
                }
                List<Frame> frames = new ArrayList<>();
                long first = history.firstOffset(lastOffset);
                if (after < Math.min(first - 1, until)) { // evicted before the sender got here
                    after = Math.min(first - 1, until);
                    resetDue = true;
                }
                if (resetDue) {
                    frames.add(reset());
                    resetDue = false;
                }
                while (frames.size() < max && after < until) {
                    frames.add(history.get(++after));
                }
                return frames;
            }
        }

        private Frame reset() {
            return Frame.of("{\"type\":\"reset\",\"group\":\"" + name + "\",\"epoch\":\"" + epoch + "\",\"offset\":"
                    + after + "}");
        }
    }
}
