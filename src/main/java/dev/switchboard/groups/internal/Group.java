package dev.switchboard.groups.internal;

import dev.switchboard.groups.internal.backplane.Backplane;
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
import dev.switchboard.groups.SendReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/**
 * One group: its members, its offsets and its history. Every change, and every send, happens under the group's
 * monitor, so that a message's offset, its place in history and the members it is queued to are one atomic step:
 * that is what makes a resume seamless (a joiner gets each message either from history or live, never both, never
 * neither). Sends only queue frames (no network write waits), so the monitor is held for microseconds per member.
 *
 * <p>On several servers ({@link ClusterSync}) the offsets come from the backplane, and the group here is this server's
 * view of the stream: it takes what arrives (published by any server, read back to fill a gap), in any order and any
 * number of times, and delivers each offset once, in order. What is ahead of a gap waits for a read from the
 * backplane; what the backplane no longer has, or another epoch, is announced to the members with a reset frame.
 */
final class Group {

    private static final Member[] NONE = new Member[0];

    final String name;
    private String epoch = Backplane.newEpoch();
    final GroupPolicy policy;
    final LongAdder dropped = new LongAdder();
    final LongAdder slowClosed = new LongAdder();

    // Guarded by this.
    private final Map<Member, GroupMember> members = new LinkedHashMap<>();
    private Member[] snapshot = NONE; // copy-on-write: a send iterates it while members change
    private final History history;
    private long lastOffset;
    private boolean removed;
    private int generation; // a new one per epoch: a resume begun in an earlier one stops

    // On several servers only.
    final CompletableFuture<Void> attachment = new CompletableFuture<>(); // completed once it may take members
    private boolean attached;
    private boolean reading;                                 // a read from the backplane is due or under way
    private final TreeMap<Long, Early> early = new TreeMap<>(); // arrived ahead of a gap, or before attach
    private final Map<String, Pending> pending = new HashMap<>(); // this server's publishes, by id

    Group(String name, GroupPolicy policy, History.Budget budget) {
        this(name, policy, budget, false);
    }

    /** @param clustered true on several servers: the group takes members once {@link #attach} has run */
    Group(String name, GroupPolicy policy, History.Budget budget, boolean clustered) {
        this.name = name;
        this.policy = policy;
        this.history = new History(policy.historyMessages(), policy.historyBytes(), budget);
        if (!clustered) {
            attached = true;
            attachment.complete(null);
        }
    }

    /** @return false once the group was emptied and dropped from the registry: callers start over with a new one */
    boolean live() {
        return !removed;
    }

    /**
     * Adds {@code member} (nothing if it already is one), queueing its resume first when it asks for one.
     *
     * @param server this server's id, for the member's entry
     * @return the new member's entry, or null if it already was a member
     */
    GroupMember add(Member member, String server, Join join, Instant now, Deferred later) {
        if (members.containsKey(member)) {
            return null;
        }
        GroupMember entry = new GroupMember(member, server, member.principal().map(p -> p.getName()), now,
                join.attributes());
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
                drop();
            }
        }
        return entry;
    }

    /** Marks the group removed and gives its history back; this server's publishes in flight report no members. */
    void drop() {
        removed = true;
        history.clear();
        early.clear();
        for (Pending p : pending.values()) {
            p.report.complete(new SendReport(name, p.offset, 0, List.of()));
        }
        pending.clear();
        attachment.complete(null); // anyone waiting to join finds it removed and starts over
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
        checkStampable(name, json);
    }

    /** @throws IllegalArgumentException if a group that keeps history could not stamp {@code json} */
    static void checkStampable(String name, String json) {
        if (!stampable(json)) {
            throw new IllegalArgumentException("group \"" + name + "\" keeps history, so a message must be a JSON "
                    + "object (it gets \"offset\" and \"epoch\" members), got: "
                    + (json.length() > 60 ? json.substring(0, 60) + "..." : json));
        }
    }

    private static boolean stampable(String json) {
        return json.length() >= 2 && json.charAt(0) == '{' && json.charAt(json.length() - 1) == '}';
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

    /** @return the offset of the last message delivered */
    long lastOffset() {
        return lastOffset;
    }

    String epoch() {
        return epoch;
    }

    // --- On several servers: this server's view of the stream in the backplane -------------------------------------

    /** What the group hands its members: a message, or a reset frame. Called under the group's monitor. */
    interface Sink {
        void deliver(Frame frame, long offset, Member except, CompletableFuture<SendReport> report);

        void reset(Frame frame);
    }

    /** A publish from this server, waiting for its offset to be delivered here. */
    static final class Pending {
        final CompletableFuture<SendReport> report = new CompletableFuture<>();
        final Member except;
        private String epoch;
        private long offset; // 0 until the backplane answered

        Pending(Member except) {
            this.except = except;
        }
    }

    /** Most messages kept ahead of a gap: beyond it they are dropped here and read from the backplane later. */
    static final int MAX_EARLY = 10_000;

    /** A message that came before it could be delivered, with the epoch it came in. */
    private record Early(Backplane.Entry entry, String epoch) {
    }

    boolean attached() {
        return attached;
    }

    /** @return messages waiting ahead of a gap */
    int early() {
        return early.size();
    }

    private void keepEarly(Backplane.Entry entry, String epoch) {
        if (early.size() < MAX_EARLY) {
            early.putIfAbsent(entry.offset(), new Early(entry, epoch));
        }
    }

    /**
     * Takes where the backplane says the group stands, with its latest messages as history; members may join from now
     * on. What arrived meanwhile is delivered if it is newer.
     *
     * @return true if a read from the backplane is due: what arrived meanwhile left a gap
     */
    boolean attach(Backplane.Snapshot at, Sink sink) {
        epoch = at.epoch();
        lastOffset = at.top();
        for (Backplane.Entry entry : at.entries()) {
            if (entry.offset() <= at.top()) {
                remember(entry.offset(), frameOf(entry));
            }
        }
        attached = true;
        drain(sink);
        return !early.isEmpty() && readDue();
    }

    /** Registers a publish by this server, so that its report follows the delivery here; null if the group is gone. */
    Pending expect(String id, Member except) {
        if (removed || !attached) {
            return null;
        }
        Pending p = new Pending(except);
        pending.put(id, p);
        return p;
    }

    /** This server stops: its publishes still waiting report no members here (the other servers deliver them). */
    void abandonPending() {
        for (Pending p : pending.values()) {
            p.report.complete(new SendReport(name, p.offset, 0, List.of()));
        }
        pending.clear();
    }

    /** A publish by this server failed: nothing to wait for. */
    void forget(String id) {
        pending.remove(id);
    }

    /** The backplane gave a publish by this server its place: deliver it unless it already arrived. */
    boolean published(Backplane.Entry entry, String epoch, Sink sink) {
        Pending p = pending.get(entry.id());
        if (p != null) {
            p.epoch = epoch;
            p.offset = entry.offset();
        }
        return arrive(entry, epoch, sink);
    }

    /**
     * A message from the backplane: delivered if it is the next one, dropped if it was delivered, kept if it is ahead
     * of a gap.
     *
     * @return true if a read from the backplane is now due (a gap, or another epoch): the caller starts it
     */
    boolean arrive(Backplane.Entry entry, String epoch, Sink sink) {
        if (removed) {
            return false;
        }
        if (!attached) {
            keepEarly(entry, epoch); // attach() sorts out which are new, and of its epoch
            return false;
        }
        if (!epoch.equals(this.epoch)) {
            return readDue(); // a new epoch, or a late message of the old one: the backplane decides which
        }
        if (entry.offset() > lastOffset) {
            keepEarly(entry, epoch);
            drain(sink);
        } else {
            settle();
        }
        return !early.isEmpty() && readDue();
    }

    /**
     * What a read from the backplane found after {@code seen}, which was this group's position when it was asked.
     *
     * @return true if another read is due: more entries, a gap, or the epoch changed
     */
    boolean read(Backplane.Seen seen, Backplane.Snapshot at, Sink sink) {
        reading = false;
        if (removed || !attached) {
            return false;
        }
        if (!seen.epoch().equals(epoch)) {
            return readDue(); // asked before another read moved to a new epoch: its range is the old one's
        }
        if (!at.epoch().equals(epoch)) {
            // The backplane lost the stream (a restart without persistence, or a rollback a server noticed): everything
            // in the new epoch is new; tell the members, then read it from the start.
            epoch = at.epoch();
            generation++;
            early.clear();
            skip(0, sink);
            return readDue();
        }
        List<Backplane.Entry> entries = at.entries();
        long first = entries.isEmpty() ? at.top() + 1 : entries.get(0).offset();
        if (first > lastOffset + 1 && at.top() > lastOffset) {
            skip(Math.min(first, at.top() + 1) - 1, sink); // no longer kept: the members learn what they missed
        }
        for (Backplane.Entry entry : entries) {
            if (entry.offset() > lastOffset) {
                early.put(entry.offset(), new Early(entry, at.epoch())); // from the stream itself: it wins
            }
        }
        drain(sink);
        return (at.top() > lastOffset || !early.isEmpty()) && readDue();
    }

    /** @return true if the caller should start a read: none is under way */
    boolean readDue() {
        if (reading || removed) {
            return false;
        }
        reading = true;
        return true;
    }

    /** A read failed: the next periodic check or arrival starts another. */
    void readFailed() {
        reading = false;
    }

    private void drain(Sink sink) {
        while (!early.isEmpty()) {
            long offset = early.firstKey();
            if (offset <= lastOffset || !early.firstEntry().getValue().epoch().equals(epoch)) {
                early.pollFirstEntry(); // delivered, or of another epoch: never delivered under this one's offsets
            } else if (offset == lastOffset + 1) {
                deliver(early.pollFirstEntry().getValue().entry(), sink);
            } else {
                break;
            }
        }
        settle();
    }

    private void deliver(Backplane.Entry entry, Sink sink) {
        lastOffset = entry.offset();
        Frame frame = frameOf(entry);
        remember(entry.offset(), frame);
        Pending p = pending.remove(entry.id());
        sink.deliver(frame, entry.offset(), p == null ? null : p.except, p == null ? null : p.report);
    }

    private Frame frameOf(Backplane.Entry entry) {
        String json = entry.payload();
        return policy.keepsHistory() && stampable(json) ? Frame.of(stamp(json, entry.offset())) : Frame.of(json);
    }

    private void remember(long offset, Frame frame) {
        if (!policy.keepsHistory()) {
            return;
        }
        if (history.size() > 0 && history.get(offset - 1) == null) {
            history.evictAll(); // not contiguous with what is kept: history restarts here
        }
        history.append(offset, frame);
    }

    // Moves to {@code offset} without the messages up to it, and says so to every member.
    private void skip(long offset, Sink sink) {
        lastOffset = offset;
        history.evictAll();
        sink.reset(Frame.of(resetJson(epoch, offset)));
    }

    // Publishes of this server whose offset has passed without them (skipped, or another epoch) report no members.
    private void settle() {
        if (pending.isEmpty()) {
            return;
        }
        pending.values().removeIf(p -> {
            boolean passed = p.offset > 0 && (!epoch.equals(p.epoch) || p.offset <= lastOffset);
            if (passed) {
                p.report.complete(new SendReport(name, p.offset, 0, List.of()));
            }
            return passed;
        });
    }

    private String resetJson(String epoch, long offset) {
        return "{\"type\":\"reset\",\"group\":\"" + name + "\",\"epoch\":\"" + epoch + "\",\"offset\":" + offset
                + "}";
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

    /** @return the members' entries, in the order they joined */
    List<GroupMember> entries() {
        return List.copyOf(members.values());
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
        private final int generation = Group.this.generation;
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
                if (generation != Group.this.generation) {
                    after = until; // another epoch began: the member got its reset frame live, behind this replay
                    return List.of();
                }
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
            return Frame.of(resetJson(epoch, after));
        }
    }
}
