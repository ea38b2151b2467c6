package dev.switchboard.groups.internal;

import dev.switchboard.groups.ClusterUnavailableException;
import dev.switchboard.groups.GroupMember;
import dev.switchboard.groups.MemberLeft;
import dev.switchboard.groups.internal.backplane.Backplane;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Who is in each group on every server. Each server records its members in the backplane as they join and leave
 * (under the group's monitor, so one member's records arrive in the order of its joins and leaves), says it is alive
 * every heartbeat, and sweeps the entries of servers that stopped saying so: a crashed server's members leave within
 * the presence TTL plus a heartbeat, and each is announced ({@link MemberLeft}, connection empty) once in the cluster,
 * by the server whose sweep removed its entry.
 *
 * <p>What a write that failed (Redis away) left wrong is put right at the next heartbeat that reaches Redis: this
 * server's entries of that group are made exactly its members here. A server sweeps only once it has itself been
 * heard for a whole TTL, so that after an outage every live server has said it is alive before anyone is taken for
 * dead.
 */
final class ClusterPresence {

    private static final Logger LOG = Logger.getLogger(ClusterPresence.class.getName());
    private static final JsonProvider JSON = JsonProvider.provider(); // looked up once: it is a ServiceLoader search

    private final String server;
    private final Supplier<Backplane> backplane;
    private final Map<String, Group> groups;
    private final long ttlMillis;
    private final long timeoutMillis;
    private final ScheduledExecutorService timer;
    private final Consumer<Object> emit;
    private final Set<String> dirty = ConcurrentHashMap.newKeySet(); // groups whose entries may be wrong in Redis
    // The timer's thread only.
    private long heardSince; // nanoTime since which every heartbeat reached Redis; 0 after one did not
    private long connects = -1;

    final LongAdder swept = new LongAdder();

    /**
     * @param server this server's id
     * @param backplane the cluster's backplane (it is replaced once, when it is opened)
     * @param groups this server's groups
     * @param ttlMillis how long a server that stopped saying it is alive keeps its members
     * @param heartbeatMillis how often this server says it is alive, and looks for dead servers
     * @param timeoutMillis how long a heartbeat or a sweep may take
     * @param timer runs the heartbeats; its own thread, as a sweep fires events and waits for Redis
     * @param emit fires an event in namespace {@code group}
     */
    ClusterPresence(String server, Supplier<Backplane> backplane, Map<String, Group> groups, long ttlMillis,
            long heartbeatMillis, long timeoutMillis, ScheduledExecutorService timer, Consumer<Object> emit) {
        this.server = server;
        this.backplane = backplane;
        this.groups = groups;
        this.ttlMillis = ttlMillis;
        this.timeoutMillis = timeoutMillis;
        this.timer = timer;
        this.emit = emit;
        timer.scheduleWithFixedDelay(this::beatLogged, 0, heartbeatMillis, TimeUnit.MILLISECONDS);
    }

    /** Records a member that joined {@code group} here; the caller holds the group's monitor. Never blocks. */
    void joined(String group, GroupMember member) {
        watch(group, backplane.get().present(group, server, member.id(), encode(member)));
    }

    /** Records a member that left {@code group} here; the caller holds the group's monitor. Never blocks. */
    void left(String group, GroupMember member) {
        watch(group, backplane.get().absent(group, server, member.id()));
    }

    private void watch(String group, CompletionStage<Void> write) {
        write.whenComplete((done, failure) -> {
            if (failure != null) {
                dirty.add(group); // the next heartbeat that reaches Redis puts it right
            }
        });
    }

    /**
     * @param here the group's members on this server
     * @return every member of {@code group} on every server, in the order they joined; this server's from {@code here}
     */
    CompletionStage<List<GroupMember>> list(String group, List<GroupMember> here) {
        return backplane.get().presence(group).handle((entries, failure) -> {
            if (failure != null) {
                throw new CompletionException(new ClusterUnavailableException(group, "Listing the members", failure));
            }
            List<GroupMember> all = new ArrayList<>(here);
            for (String entry : entries) {
                GroupMember member = decode(entry);
                if (member != null && !member.server().equals(server)) {
                    all.add(member);
                }
            }
            all.sort(Comparator.comparing(GroupMember::joinedAt).thenComparing(GroupMember::id));
            return List.copyOf(all);
        });
    }

    private void beatLogged() {
        try {
            beat();
        } catch (RuntimeException e) {
            heardSince = 0;
            LOG.log(Level.WARNING, e, () -> "Switchboard: the presence heartbeat failed");
        }
    }

    private void beat() {
        Backplane b = backplane.get();
        long now = System.nanoTime();
        Boolean fresh = await(b.heartbeat(server, ttlMillis));
        if (fresh == null) {
            heardSince = 0;
            return;
        }
        long c = b.connects();
        if (fresh || c != connects) { // swept, Redis lost its data, or writes may have failed while disconnected
            connects = c;
            dirty.addAll(groups.keySet());
        }
        for (String group : List.copyOf(dirty)) {
            dirty.remove(group);
            resync(group);
        }
        if (heardSince == 0) {
            heardSince = now;
        } else if (now - heardSince >= TimeUnit.MILLISECONDS.toNanos(ttlMillis)) {
            sweep(b);
        }
    }

    // This server's entries of the group made exactly its members here, in order with their joins and leaves.
    private void resync(String name) {
        while (true) {
            Group[] found = {null};
            groups.compute(name, (k, g) -> {
                if (g == null) { // no member here: none in Redis either (a join, which creates it, waits for this)
                    watch(name, backplane.get().resync(name, server, Map.of()));
                }
                found[0] = g;
                return g;
            });
            Group g = found[0];
            if (g == null) {
                return;
            }
            synchronized (g) {
                if (g.live()) {
                    Map<String, String> entries = new HashMap<>();
                    for (GroupMember member : g.entries()) {
                        entries.put(member.id(), encode(member));
                    }
                    watch(name, backplane.get().resync(name, server, entries));
                    return;
                }
            }
            // emptied and dropped just now: its successor, if any, is what to record
        }
    }

    private void sweep(Backplane b) {
        List<String> dead = await(b.dead(server));
        if (dead == null) {
            return;
        }
        for (String gone : dead) {
            List<Backplane.Gone> entries = await(b.sweep(gone));
            if (entries == null) {
                return;
            }
            if (!entries.isEmpty()) {
                LOG.info(() -> "Switchboard: server " + gone + " stopped saying it is alive; " + entries.size()
                        + " of its members left");
            }
            for (Backplane.Gone entry : entries) {
                GroupMember member = decode(entry.entry());
                if (member != null) {
                    swept.increment();
                    emit.accept(new MemberLeft(entry.group(), member));
                }
            }
        }
    }

    // The result within the timeout, or null (logged) if Redis did not give it.
    private <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException | TimeoutException e) {
            LOG.log(Level.FINE, e, () -> "Switchboard: presence: Redis did not answer");
            return null;
        }
    }

    void close() {
        timer.shutdownNow();
    }

    static String encode(GroupMember member) {
        JsonObjectBuilder attributes = JSON.createObjectBuilder();
        member.attributes().forEach(attributes::add);
        JsonObjectBuilder json = JSON.createObjectBuilder()
                .add("id", member.id())
                .add("server", member.server())
                .add("joinedAt", member.joinedAt().toString())
                .add("attributes", attributes);
        member.principal().ifPresent(p -> json.add("principal", p));
        return json.build().toString();
    }

    /** @return the member an entry describes, without connection; null (logged) if it is not one of ours */
    static GroupMember decode(String entry) {
        try (var reader = JSON.createReader(new StringReader(entry))) {
            JsonObject json = reader.readObject();
            Map<String, String> attributes = new HashMap<>();
            for (Map.Entry<String, JsonValue> a : json.getJsonObject("attributes").entrySet()) {
                attributes.put(a.getKey(), ((JsonString) a.getValue()).getString());
            }
            return new GroupMember(json.getString("id"), json.getString("server"), Optional.empty(),
                    Optional.ofNullable(json.getString("principal", null)), Instant.parse(json.getString("joinedAt")),
                    attributes);
        } catch (RuntimeException e) {
            LOG.warning(() -> "Switchboard: ignored a presence entry that is not one of ours: " + entry + " (" + e
                    + ")");
            return null;
        }
    }
}
