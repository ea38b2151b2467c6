package dev.switchboard.groups.internal;

import dev.switchboard.connections.Connection;
import dev.switchboard.connections.Overflow;
import dev.switchboard.connections.internal.Frame;
import dev.switchboard.connections.internal.FrameCallback;
import dev.switchboard.connections.internal.JsonCodec;
import dev.switchboard.connections.internal.ConnectionSettings;
import dev.switchboard.connections.internal.SessionConnection;
import dev.switchboard.events.Events;
import dev.switchboard.events.Namespace;
import dev.switchboard.groups.GroupInfo;
import dev.switchboard.groups.GroupMember;
import dev.switchboard.groups.GroupMessage;
import dev.switchboard.groups.GroupPolicy;
import dev.switchboard.groups.Groups;
import dev.switchboard.groups.Join;
import dev.switchboard.groups.JoinDeniedException;
import dev.switchboard.groups.JoinRequested;
import dev.switchboard.groups.MemberJoined;
import dev.switchboard.groups.MemberLeft;
import dev.switchboard.groups.Position;
import dev.switchboard.groups.SendReport;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The {@link Groups} bean: a concurrent map of {@link Group}s. Each group is changed and sent to under its own monitor
 * (see {@link Group} for why); the registry only finds, creates and drops groups, and fires membership events outside
 * any monitor, so observers may call back into the registry.
 */
@ApplicationScoped
public class GroupRegistry implements Groups {

    @Inject
    JsonCodec codec;

    @Inject
    Events events;

    @Inject
    ConnectionSettings connectionSettings;

    @Inject
    @ConfigProperty(name = "switchboard.group.name-max-length", defaultValue = "128")
    int maxNameLength;

    @Inject
    @ConfigProperty(name = "switchboard.group.max-per-connection", defaultValue = "64")
    int maxPerConnection;

    @Inject
    @ConfigProperty(name = "switchboard.group.history-messages", defaultValue = "0")
    int historyMessages;

    @Inject
    @ConfigProperty(name = "switchboard.group.history-bytes", defaultValue = "1048576")
    long historyBytes;

    private final Map<String, Group> groups = new ConcurrentHashMap<>();
    private final Map<SessionConnection, Set<String>> memberships = new ConcurrentHashMap<>();
    private final Map<String, GroupPolicy> policies = new ConcurrentHashMap<>();
    private final LongAdder totalDropped = new LongAdder();
    private final LongAdder totalSlowClosed = new LongAdder();
    private GroupPolicy defaultPolicy;
    private Events groupEvents;

    @PostConstruct
    void init() {
        if (maxNameLength < 1) {
            throw new IllegalArgumentException("switchboard.group.name-max-length must be at least 1, got "
                    + maxNameLength);
        }
        if (maxPerConnection < 1) {
            throw new IllegalArgumentException("switchboard.group.max-per-connection must be at least 1, got "
                    + maxPerConnection);
        }
        defaultPolicy = new GroupPolicy(connectionSettings.overflow(), historyMessages, historyBytes);
        groupEvents = events.namespace(Namespace.GROUP);
    }

    @Override
    public Position join(String group, Connection connection) {
        return join(group, connection, Join.FRESH);
    }

    @Override
    public Position join(String group, Connection connection, Join join) {
        GroupNames.validate(group, maxNameLength);
        Objects.requireNonNull(join, "join");
        SessionConnection member = member(connection);
        if (!member.isOpen()) {
            return info(group).map(i -> new Position(i.epoch(), i.lastOffset())).orElse(new Position("", 0));
        }
        Set<String> current = memberships.get(member);
        if (current != null && !current.contains(group) && current.size() >= maxPerConnection) {
            throw new JoinDeniedException("group \"" + group + "\": the connection is in " + current.size()
                    + " groups, the limit switchboard.group.max-per-connection is " + maxPerConnection);
        }
        JoinRequested request = new JoinRequested(group, member);
        groupEvents.emit(request);
        if (request.denial().isPresent()) {
            throw new JoinDeniedException("group \"" + group + "\": " + request.denial().get());
        }
        GroupMember added;
        Position position;
        while (true) {
            Group g = groups.computeIfAbsent(group, name -> new Group(name, policyFor(name)));
            synchronized (g) {
                if (!g.live()) {
                    continue; // emptied and dropped just now: join its successor
                }
                added = g.add(member, join, Instant.now());
                position = g.position();
                break;
            }
        }
        boolean[] fresh = {false};
        memberships.computeIfAbsent(member, m -> {
            fresh[0] = true;
            return ConcurrentHashMap.newKeySet();
        }).add(group);
        if (fresh[0]) {
            // Runs at once if the connection is already closed.
            member.closed().thenRun(() -> leaveAll(member));
        }
        if (added != null) {
            groupEvents.emit(new MemberJoined(group, added));
        }
        if (!member.isOpen()) {
            leaveAll(member); // a join that raced with the close
        }
        return position;
    }

    @Override
    public void checkName(String group) {
        GroupNames.validate(group, maxNameLength);
    }

    @Override
    public void leave(String group, Connection connection) {
        SessionConnection member = member(connection);
        Set<String> mine = memberships.get(member);
        if (mine != null) {
            mine.remove(group);
        }
        removeMember(group, member);
    }

    @Override
    public void leaveAll(Connection connection) {
        SessionConnection member = member(connection);
        Set<String> mine = memberships.remove(member);
        if (mine != null) {
            if (member.closedAsSlowConsumer()) {
                totalSlowClosed.increment(); // once per connection, however many groups it was in
            }
            for (String group : mine) {
                removeMember(group, member);
            }
        }
    }

    private void removeMember(String name, SessionConnection member) {
        Group g = groups.get(name);
        if (g == null) {
            return;
        }
        GroupMember gone;
        synchronized (g) {
            gone = g.remove(member);
            if (!g.live()) {
                groups.remove(name, g);
            }
        }
        if (gone != null) {
            if (member.closedAsSlowConsumer()) {
                g.slowClosed.increment();
            }
            groupEvents.emit(new MemberLeft(name, gone));
        }
    }

    @Override
    public CompletionStage<SendReport> send(String group, Object payload) {
        GroupNames.validate(group, maxNameLength);
        Group g = groups.get(group);
        if (g == null) {
            return CompletableFuture.completedFuture(new SendReport(group, 0, 0, List.of()));
        }
        if (g.policy.keepsHistory() && payload instanceof JsonObject object
                && (object.containsKey("offset") || object.containsKey("epoch"))) {
            throw new IllegalArgumentException("group \"" + group + "\" keeps history and stamps \"offset\" and "
                    + "\"epoch\" into every message; the payload already has " + object.keySet());
        }
        String json = codec.encode(payload); // once, outside the monitor
        Tally tally;
        synchronized (g) {
            if (!g.live()) {
                return CompletableFuture.completedFuture(new SendReport(group, 0, 0, List.of()));
            }
            Frame frame = g.next(json);
            SessionConnection[] members = g.members();
            tally = new Tally(g, totalDropped, g.lastOffset(), members.length);
            Overflow overflow = g.policy.overflow();
            for (SessionConnection member : members) {
                member.offer(frame, overflow, tally); // one callback object per send, not one per member
            }
        }
        tally.seal(); // outside the monitor: completing the report runs the caller's continuations
        return tally.report;
    }

    @Override
    public void policy(String prefix, GroupPolicy policy) {
        policies.put(Objects.requireNonNull(prefix, "prefix"), Objects.requireNonNull(policy, "policy"));
    }

    private GroupPolicy policyFor(String name) {
        GroupPolicy best = defaultPolicy;
        int bestLength = -1;
        for (Map.Entry<String, GroupPolicy> e : policies.entrySet()) {
            if (name.startsWith(e.getKey()) && e.getKey().length() > bestLength) {
                best = e.getValue();
                bestLength = e.getKey().length();
            }
        }
        return best;
    }

    @Override
    public List<GroupMessage> history(String group, long afterOffset) {
        Group g = groups.get(group);
        if (g == null) {
            return List.of();
        }
        synchronized (g) {
            return g.history(afterOffset);
        }
    }

    @Override
    public Optional<GroupInfo> info(String group) {
        Group g = groups.get(group);
        if (g == null) {
            return Optional.empty();
        }
        synchronized (g) {
            return g.live() ? Optional.of(g.info()) : Optional.empty();
        }
    }

    @Override
    public Set<Connection> members(String group) {
        Group g = groups.get(group);
        if (g == null) {
            return Set.of();
        }
        synchronized (g) {
            return Set.of(g.members());
        }
    }

    @Override
    public Set<String> names() {
        return Set.copyOf(groups.keySet());
    }

    @Override
    public Set<String> groupsOf(Connection connection) {
        Set<String> mine = memberships.get(member(connection));
        return mine == null ? Set.of() : Set.copyOf(mine);
    }

    @Override
    public Totals totals() {
        return new Totals(totalDropped.sum(), totalSlowClosed.sum());
    }

    private static SessionConnection member(Connection connection) {
        if (connection instanceof SessionConnection member) {
            return member;
        }
        throw new IllegalArgumentException("not a Switchboard connection: " + connection
                + " (use the Connection that Connections.opened returned)");
    }

    /** Counts the member writes of one send; completes the report when the last one ends. */
    private static final class Tally implements FrameCallback {
        final Group group;
        final LongAdder totalDropped;
        final long offset;
        final CompletableFuture<SendReport> report = new CompletableFuture<>();
        final int members;
        final ConcurrentLinkedQueue<SendReport.Failure> failures = new ConcurrentLinkedQueue<>();
        final AtomicInteger pending; // one more than the members until seal(): the loop may still be offering

        Tally(Group group, LongAdder totalDropped, long offset, int members) {
            this.group = group;
            this.totalDropped = totalDropped;
            this.offset = offset;
            this.members = members;
            this.pending = new AtomicInteger(members + 1);
        }

        @Override
        public void done(String connection, Throwable failure) {
            if (failure != null) {
                group.dropped.increment();
                totalDropped.increment();
                failures.add(new SendReport.Failure(connection, String.valueOf(failure.getMessage())));
            }
            if (pending.decrementAndGet() == 0) {
                complete();
            }
        }

        void seal() {
            if (pending.decrementAndGet() == 0) {
                complete();
            }
        }

        private void complete() {
            List<SendReport.Failure> failed = List.copyOf(failures);
            report.complete(new SendReport(group.name, offset, members - failed.size(), failed));
        }
    }
}
