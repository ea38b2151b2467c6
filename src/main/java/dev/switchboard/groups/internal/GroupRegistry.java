package dev.switchboard.groups.internal;

import dev.switchboard.connections.Connection;
import dev.switchboard.connections.Overflow;
import dev.switchboard.internal.delivery.Deferred;
import dev.switchboard.internal.delivery.Frame;
import dev.switchboard.internal.delivery.JsonCodec;
import dev.switchboard.internal.delivery.Member;
import dev.switchboard.internal.delivery.OutboxLimits;
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
import dev.switchboard.groups.internal.backplane.Backplane;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.ObserverException;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@link Groups} bean: a concurrent map of {@link Group}s. Each group is changed and sent to under its own monitor
 * (see {@link Group} for why); the registry only finds, creates and drops groups, and fires membership events outside
 * any monitor, so observers may call back into the registry.
 */
@ApplicationScoped
public class GroupRegistry implements Groups {

    private static final Logger LOG = Logger.getLogger(GroupRegistry.class.getName());
    /** Room left in the outbox for what a history group adds to a message: offset and epoch. */
    static final int STAMP_BYTES = 64;

    @Inject
    JsonCodec codec;

    @Inject
    Events events;

    @Inject
    OutboxLimits outboxLimits;

    @Inject
    GroupSettings settings;

    @Inject
    @Any
    Event<Object> cdiEvents;

    @Inject
    ClusterSettings clusterSettings; // null in unit tests: one server

    private int maxNameLength;
    private int maxPerConnection;
    final Map<String, Group> groups = new ConcurrentHashMap<>(); // package-private: a cluster delivers to them
    private final Map<Member, Membership> memberships = new ConcurrentHashMap<>();
    final LongAdder totalDropped = new LongAdder();
    private final LongAdder totalSlowClosed = new LongAdder();
    private Policies policies;
    History.Budget historyBudget; // package-private: tests set a small one
    private Events groupEvents;
    // Who may join: JoinRequested observers, fired so that their exceptions reach join() (Events would only log them).
    Consumer<JoinRequested> authorization;
    ClusterSync cluster; // null on a single server; package-private: tests join two registries on one Redis
    ClusterPresence presence; // null on a single server
    final String server = Backplane.newEpoch().substring(0, 12); // new each start: a restart is another server

    @PostConstruct
    void init() {
        maxNameLength = settings.maxNameLength();
        maxPerConnection = settings.maxPerConnection();
        policies = new Policies(new GroupPolicy(outboxLimits.overflow(), settings.historyMessages(),
                settings.historyBytes()));
        historyBudget = new History.Budget(settings.historyTotalBytes());
        groupEvents = events.namespace(Namespace.GROUP);
        if (authorization == null) {
            Event<JoinRequested> requests = cdiEvents.select(JoinRequested.class, Namespace.Literal.of(Namespace.GROUP));
            authorization = requests::fire;
        }
        if (clusterSettings != null) {
            cluster = clusterSettings.open(groups, totalDropped, this::trimIfOver);
            presence = cluster == null ? null : clusterSettings.presence(server, cluster, groups, groupEvents::emit);
        }
    }

    @PreDestroy
    void stop() {
        if (presence != null) {
            presence.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Override
    public Position join(String group, Connection connection) {
        return join(group, connection, Join.FRESH);
    }

    @Override
    public Position join(String group, Connection connection, Join join) {
        GroupNames.validate(group, maxNameLength);
        Objects.requireNonNull(join, "join");
        Member member = Member.of(connection);
        Membership membership = membershipOf(member);
        if (membership.closed() || !member.isOpen()) {
            return info(group).map(i -> new Position(i.epoch(), i.lastOffset())).orElse(new Position("", 0));
        }
        checkCount(group, membership);
        authorize(group, member); // outside every lock: observers may call back into the registry
        GroupMember added = null;
        Position position;
        Deferred later = Deferred.collect();
        synchronized (membership) {
            if (membership.closed()) { // closed while the observers ran
                return info(group).map(i -> new Position(i.epoch(), i.lastOffset())).orElse(new Position("", 0));
            }
            checkCount(group, membership);
            while (true) {
                boolean[] created = {false};
                Group g = groups.computeIfAbsent(group, name -> {
                    created[0] = true;
                    return new Group(name, policies.of(name), historyBudget, cluster != null);
                });
                if (cluster != null) {
                    cluster.attach(g, created[0]); // may wait for Redis: holds no group's monitor
                    join.resumeFrom().ifPresent(from -> cluster.catchUp(g, from));
                }
                synchronized (g) {
                    if (!g.live()) {
                        continue; // emptied and dropped just now: join its successor
                    }
                    added = g.add(member, server, join, Instant.now(), later);
                    position = g.position();
                    if (added != null && presence != null) {
                        presence.joined(group, added); // under the monitor: in order with its leave
                    }
                    break;
                }
            }
            membership.add(group);
            if (added != null) {
                membership.queue(new MemberJoined(group, added));
            }
        }
        try {
            later.run();
        } finally {
            membership.fire(groupEvents::emit);
        }
        return position;
    }

    // The connection's membership, created with the one hook that takes it out of every group when it closes.
    private Membership membershipOf(Member member) {
        boolean[] fresh = {false};
        Membership membership = memberships.computeIfAbsent(member, m -> {
            fresh[0] = true;
            return new Membership();
        });
        if (fresh[0]) {
            member.whenClosed(() -> closed(member)); // at once if it is already closed
        }
        return membership;
    }

    private void checkCount(String group, Membership membership) {
        if (!membership.contains(group) && membership.size() >= maxPerConnection) {
            throw new JoinDeniedException(group, "the connection is in " + membership.size()
                    + " groups, the limit " + GroupSettings.MAX_PER_CONNECTION + " is " + maxPerConnection);
        }
    }

    // Fails closed: an observer that throws refuses the join (it may have been the one meant to deny it).
    private void authorize(String group, Member member) {
        JoinRequested request = new JoinRequested(group, member);
        try {
            authorization.accept(request);
        } catch (RuntimeException e) {
            Throwable cause = e instanceof ObserverException && e.getCause() != null ? e.getCause() : e;
            LOG.log(Level.WARNING, cause, () -> "A JoinRequested observer failed for group " + group
                    + " and connection " + member.id() + "; the join is refused: " + cause);
            throw new JoinDeniedException(group, "the authorization check failed ("
                    + cause.getClass().getSimpleName() + ")");
        }
        if (request.denial().isPresent()) {
            throw new JoinDeniedException(group, request.denial().get());
        }
    }

    @Override
    public void checkName(String group) {
        GroupNames.validate(group, maxNameLength);
    }

    @Override
    public void leave(String group, Connection connection) {
        Member member = Member.of(connection);
        Membership membership = memberships.get(member);
        if (membership == null) {
            return;
        }
        synchronized (membership) {
            membership.remove(group);
            left(membership, group, removeMember(group, member));
        }
        membership.fire(groupEvents::emit);
    }

    @Override
    public void leaveAll(Connection connection) {
        Member member = Member.of(connection);
        Membership membership = memberships.get(member);
        if (membership != null) {
            leaveEvery(member, membership, false);
        }
    }

    // The connection closed: out of every group, and no join from now on.
    private void closed(Member member) {
        Membership membership = memberships.remove(member);
        if (membership != null) {
            leaveEvery(member, membership, true);
            if (member.closedAsSlowConsumer()) {
                totalSlowClosed.increment(); // once per connection, however many groups it was in
            }
        }
    }

    private void leaveEvery(Member member, Membership membership, boolean close) {
        synchronized (membership) {
            if (close) {
                membership.markClosed();
            }
            for (String name : membership.takeAll()) {
                left(membership, name, removeMember(name, member));
            }
        }
        membership.fire(groupEvents::emit);
    }

    /** @return the member's entry if it was in the group; the caller fires MemberLeft once it holds no lock */
    private GroupMember removeMember(String name, Member member) {
        Group g = groups.get(name);
        if (g == null) {
            return null;
        }
        GroupMember gone;
        boolean emptied;
        synchronized (g) {
            gone = g.remove(member);
            if (gone != null && presence != null) {
                presence.left(name, gone);
            }
            emptied = gone != null && !g.live();
            if (emptied) {
                groups.remove(name, g);
            }
            if (gone != null && member.closedAsSlowConsumer()) {
                g.slowClosed.increment();
            }
        }
        if (emptied && cluster != null) {
            cluster.detach(g);
        }
        return gone;
    }

    private static void left(Membership membership, String name, GroupMember gone) {
        if (gone != null) {
            membership.queue(new MemberLeft(name, gone));
        }
    }

    @Override
    public CompletionStage<SendReport> send(String group, Object payload) {
        return send(group, payload, null);
    }

    @Override
    public CompletionStage<SendReport> sendExcept(String group, Object payload, Connection except) {
        return send(group, payload, Member.of(except));
    }

    private CompletionStage<SendReport> send(String group, Object payload, Member except) {
        GroupNames.validate(group, maxNameLength);
        Group g = groups.get(group);
        if (g == null && cluster == null) {
            return CompletableFuture.completedFuture(new SendReport(group, 0, 0, List.of()));
        }
        GroupPolicy policy = g == null ? policies.of(group) : g.policy; // no member here: there may be elsewhere
        if (policy.keepsHistory() && payload instanceof JsonObject object
                && (object.containsKey("offset") || object.containsKey("epoch"))) {
            throw new IllegalArgumentException("group \"" + group + "\" keeps history and stamps \"offset\" and "
                    + "\"epoch\" into every message; the payload already has " + object.keySet());
        }
        String json = codec.encode(payload); // once, outside the monitor
        // A message no outbox can hold is refused here: under CLOSE it would otherwise close every member.
        long limit = outboxLimits.maxBytes() - STAMP_BYTES;
        Frame plain = Frame.of(json); // measured once: the check below and, for a group without history, the frame sent
        if (plain.bytes() > limit) {
            throw new IllegalArgumentException("a message to group \"" + group + "\" has " + plain.bytes()
                    + " bytes, the limit (" + OutboxLimits.MAX_BYTES + " less " + STAMP_BYTES + " for the stamp) is "
                    + limit);
        }
        if (cluster != null) {
            if (policy.keepsHistory()) {
                Group.checkStampable(group, json);
            }
            return cluster.publish(group, policy, json, except); // every server delivers it, this one included
        }
        SendTally tally;
        Delivery delivery = new Delivery(g, totalDropped);
        synchronized (g) {
            if (!g.live()) {
                return CompletableFuture.completedFuture(new SendReport(group, 0, 0, List.of()));
            }
            Frame frame = g.next(plain);
            tally = delivery.queue(frame, g.lastOffset(), except);
        }
        delivery.finish();
        trimIfOver();
        return tally.report;
    }

    private void trimIfOver() {
        if (historyBudget.over()) {
            trimHistories();
        }
    }

    // The largest histories give way first, one group's monitor at a time (never two: no lock order between groups).
    void trimHistories() {
        // sizes read once: they change while we sort
        record Sized(Group group, long bytes) {
        }
        List<Sized> largest = new ArrayList<>();
        for (Group g : groups.values()) {
            largest.add(new Sized(g, g.historyBytes()));
        }
        largest.sort(Comparator.comparingLong(Sized::bytes).reversed());
        for (Sized sized : largest) {
            Group g = sized.group();
            if (!historyBudget.over()) {
                return;
            }
            synchronized (g) {
                g.trimHistory();
            }
        }
    }

    @Override
    public void policy(String prefix, GroupPolicy policy) {
        policies.set(prefix, policy);
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
    public CompletionStage<List<GroupMember>> presence(String group) {
        GroupNames.validate(group, maxNameLength);
        Group g = groups.get(group);
        List<GroupMember> here = List.of();
        if (g != null) {
            synchronized (g) {
                here = g.live() ? g.entries() : List.of();
            }
        }
        return presence == null ? CompletableFuture.completedFuture(here) : presence.list(group, here);
    }

    @Override
    public String server() {
        return server;
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
        Membership mine = memberships.get(Member.of(connection));
        return mine == null ? Set.of() : mine.snapshot();
    }

    @Override
    public Totals totals() {
        return new Totals(totalDropped.sum(), totalSlowClosed.sum());
    }
}
