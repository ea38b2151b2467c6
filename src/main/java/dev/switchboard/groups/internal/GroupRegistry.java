package dev.switchboard.groups.internal;

import dev.switchboard.connections.Connection;
import dev.switchboard.connections.internal.Frame;
import dev.switchboard.connections.internal.JsonCodec;
import dev.switchboard.connections.internal.SessionConnection;
import dev.switchboard.groups.Groups;
import dev.switchboard.groups.SendReport;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The {@link Groups} bean. Members are kept in concurrent sets, one per group, changed only inside the map's atomic
 * {@code compute} for that group, so a group and its emptiness change together. A send iterates the set without
 * copying: the iterator is weakly consistent, which is exactly the contract (every member present for the whole send
 * is seen once; one that comes or goes during it may or may not be).
 */
@ApplicationScoped
public class GroupRegistry implements Groups {

    @Inject
    JsonCodec codec;

    @Inject
    @ConfigProperty(name = "switchboard.group.name-max-length", defaultValue = "128")
    int maxNameLength;

    private final Map<String, Set<SessionConnection>> groups = new ConcurrentHashMap<>();
    private final Map<SessionConnection, Set<String>> memberships = new ConcurrentHashMap<>();

    @PostConstruct
    void checkSettings() {
        if (maxNameLength < 1) {
            throw new IllegalArgumentException("switchboard.group.name-max-length must be at least 1, got "
                    + maxNameLength);
        }
    }

    @Override
    public void join(String group, Connection connection) {
        GroupNames.validate(group, maxNameLength);
        SessionConnection member = member(connection);
        groups.compute(group, (name, members) -> {
            Set<SessionConnection> set = members == null ? ConcurrentHashMap.newKeySet() : members;
            set.add(member);
            return set;
        });
        boolean[] fresh = {false};
        memberships.computeIfAbsent(member, m -> {
            fresh[0] = true;
            return ConcurrentHashMap.newKeySet();
        }).add(group);
        if (fresh[0]) {
            // Runs at once if the connection is already closed.
            member.closed().thenRun(() -> leaveAll(member));
        }
        if (!member.isOpen()) {
            leaveAll(member); // a join that raced with the close
        }
    }

    @Override
    public void leave(String group, Connection connection) {
        SessionConnection member = member(connection);
        removeMember(group, member);
        Set<String> mine = memberships.get(member);
        if (mine != null) {
            mine.remove(group);
        }
    }

    @Override
    public void leaveAll(Connection connection) {
        SessionConnection member = member(connection);
        Set<String> mine = memberships.remove(member);
        if (mine != null) {
            for (String group : mine) {
                removeMember(group, member);
            }
        }
    }

    private void removeMember(String group, SessionConnection member) {
        groups.computeIfPresent(group, (name, members) -> {
            members.remove(member);
            return members.isEmpty() ? null : members;
        });
    }

    @Override
    public CompletionStage<SendReport> send(String group, Object payload) {
        GroupNames.validate(group, maxNameLength);
        Set<SessionConnection> members = groups.get(group);
        if (members == null) {
            return CompletableFuture.completedFuture(new SendReport(group, 0, java.util.List.of()));
        }
        Frame frame = Frame.of(codec.encode(payload));
        Tally tally = new Tally(group);
        for (SessionConnection member : members) {
            tally.expect();
            member.offer(frame, failure -> tally.done(member, failure));
        }
        tally.seal();
        return tally.report;
    }

    @Override
    public Set<Connection> members(String group) {
        Set<SessionConnection> members = groups.get(group);
        return members == null ? Set.of() : Set.copyOf(members);
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

    private static SessionConnection member(Connection connection) {
        if (connection instanceof SessionConnection member) {
            return member;
        }
        throw new IllegalArgumentException("not a Switchboard connection: " + connection
                + " (use the Connection that Connections.opened returned)");
    }

    /** Counts the member writes of one send; completes the report when the last one ends. */
    private static final class Tally {
        final String group;
        final CompletableFuture<SendReport> report = new CompletableFuture<>();
        final AtomicInteger delivered = new AtomicInteger();
        final ConcurrentLinkedQueue<SendReport.Failure> failures = new ConcurrentLinkedQueue<>();
        final AtomicInteger pending = new AtomicInteger(1); // 1 until seal(): the loop may still add members

        Tally(String group) {
            this.group = group;
        }

        void expect() {
            pending.incrementAndGet();
        }

        void done(SessionConnection member, Throwable failure) {
            if (failure == null) {
                delivered.incrementAndGet();
            } else {
                failures.add(new SendReport.Failure(member.id(), String.valueOf(failure.getMessage())));
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
            report.complete(new SendReport(group, delivered.get(), java.util.List.copyOf(failures)));
        }
    }
}
