package dev.switchboard.groups.internal;

import dev.switchboard.groups.ClusterUnavailableException;
import dev.switchboard.groups.GroupMember;
import dev.switchboard.groups.MemberLeft;
import dev.switchboard.groups.internal.backplane.Backplane;
import dev.switchboard.groups.internal.backplane.RedisBackplane;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
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
 * the presence TTL and a heartbeat or two, and each is announced ({@link MemberLeft}, connection empty) by the server
 * whose sweep removed its entry: once in the cluster, unless that server dies between removing and announcing.
 *
 * <p>A server writes its entries under an incarnation, its id and a generation. One taken for dead while it was alive
 * (a long pause, or cut off from Redis) learns it at its next heartbeat and goes on as a new incarnation, writing its
 * members again: a sweep of the old one, which may still be under way, never touches them. What a write that failed
 * (Redis away) left wrong is put right at the next heartbeat that reaches Redis: this server's entries of that group
 * are made exactly its members here. A server sweeps only once it has itself been heard for a whole TTL, so that after
 * an outage every live server (each reconnects within {@link RedisBackplane#RECONNECT_CAP}) has said it is alive
 * before anyone is taken for dead.
 *
 * <p>Threads: heartbeats and resyncs on one thread, sweeps and their announcements on another, so that observers of
 * {@link MemberLeft} or a slow sweep never delay a heartbeat.
 */
final class ClusterPresence {

    private static final Logger LOG = Logger.getLogger(ClusterPresence.class.getName());
    private static final JsonProvider JSON = JsonProvider.provider(); // looked up once: it is a ServiceLoader search

    private final String server;
    private final Supplier<Backplane> backplane;
    private final Map<String, Group> groups;
    private final long ttlMillis;
    private final long timeoutMillis;
    private final ScheduledExecutorService beats;
    private final ScheduledExecutorService sweeps;
    private final Executor completions;
    private final Consumer<Object> emit;
    private final Set<String> dirty = ConcurrentHashMap.newKeySet(); // groups whose entries may be wrong in Redis
    private volatile String incarnation;
    private volatile long heardSince; // nanoTime since which every heartbeat reached Redis; 0 after one did not
    // The beats' thread only.
    private int generation;
    private long connects = -1;

    final LongAdder swept = new LongAdder();

    /**
     * @param server this server's id
     * @param backplane the cluster's backplane (it is replaced once, when it is opened)
     * @param groups this server's groups
     * @param ttlMillis how long a server that stopped saying it is alive keeps its members
     * @param heartbeatMillis how often this server says it is alive, and looks for dead servers
     * @param timeoutMillis how long a heartbeat, or the claim of a sweep, may take
     * @param threads makes the heartbeat and the sweep threads
     * @param completions completes the callers' {@link #list}: never Lettuce's threads
     * @param emit fires an event in namespace {@code group}
     */
    ClusterPresence(String server, Supplier<Backplane> backplane, Map<String, Group> groups, long ttlMillis,
            long heartbeatMillis, long timeoutMillis, ThreadFactory threads, Executor completions,
            Consumer<Object> emit) {
        this.server = server;
        this.incarnation = server + ".0";
        this.backplane = backplane;
        this.groups = groups;
        this.ttlMillis = ttlMillis;
        this.timeoutMillis = timeoutMillis;
        this.beats = Executors.newSingleThreadScheduledExecutor(threads);
        this.sweeps = Executors.newSingleThreadScheduledExecutor(threads);
        this.completions = completions;
        this.emit = emit;
        beats.scheduleWithFixedDelay(this::beatLogged, 0, heartbeatMillis, TimeUnit.MILLISECONDS);
        sweeps.scheduleWithFixedDelay(this::sweepLogged, heartbeatMillis, heartbeatMillis, TimeUnit.MILLISECONDS);
    }

    /** Records a member that joined {@code group} here; the caller holds the group's monitor. Never blocks. */
    void joined(String group, GroupMember member) {
        watch(group, backplane.get().present(group, incarnation, member.id(), encode(member)));
    }

    /** Records a member that left {@code group} here; the caller holds the group's monitor. Never blocks. */
    void left(String group, GroupMember member) {
        watch(group, backplane.get().absent(group, incarnation, member.id()));
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
     * @return every member of {@code group} on every server, in the order they joined (by each server's clock); this
     *     server's from {@code here}; completed on {@code completions}
     */
    CompletionStage<List<GroupMember>> list(String group, List<GroupMember> here) {
        return backplane.get().presence(group).handleAsync((entries, failure) -> {
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
        }, completions);
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
        Backplane.Heartbeat heard = await(b.heartbeat(incarnation, ttlMillis), "the presence heartbeat");
        if (heard == null) {
            heardSince = 0;
            return;
        }
        if (heard == Backplane.Heartbeat.SWEPT) { // its members were announced left; they are listed again now
            String old = incarnation;
            incarnation = server + "." + (++generation); // before the resync: every write from now on is the new one's
            LOG.warning(() -> "Switchboard: this server was taken for dead (no heartbeat reached Redis for "
                    + ttlMillis + " ms) and its members were announced left; it goes on as " + incarnation
                    + " (was " + old + ")");
            heard = await(b.heartbeat(incarnation, ttlMillis), "the presence heartbeat");
            if (heard == null) {
                heardSince = 0;
                return;
            }
            heard = Backplane.Heartbeat.LOST;
        }
        long c = b.connects();
        if (heard == Backplane.Heartbeat.LOST || c != connects) { // writes may have failed while disconnected
            connects = c;
            dirty.addAll(groups.keySet());
        }
        for (String group : List.copyOf(dirty)) {
            dirty.remove(group);
            resync(group);
        }
        if (heardSince == 0) {
            heardSince = now;
        }
    }

    // This server's entries of the group made exactly its members here, in order with their joins and leaves.
    private void resync(String name) {
        while (true) {
            Group[] found = {null};
            groups.compute(name, (k, g) -> {
                if (g == null) { // no member here: none in Redis either (a join, which creates it, waits for this)
                    watch(name, backplane.get().resync(name, incarnation, Map.of()));
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
                    watch(name, backplane.get().resync(name, incarnation, entries));
                    return;
                }
            }
            // emptied and dropped just now: its successor, if any, is what to record
        }
    }

    private void sweepLogged() {
        try {
            sweep();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, e, () -> "Switchboard: the presence sweep failed");
        }
    }

    private void sweep() {
        long since = heardSince;
        if (since == 0 || System.nanoTime() - since < TimeUnit.MILLISECONDS.toNanos(ttlMillis)) {
            return; // not heard for a whole TTL yet: another live server may not have said it is alive yet
        }
        Backplane b = backplane.get();
        List<String> dead = await(b.claim(incarnation, Math.max(TimeUnit.HOURS.toMillis(1), 10 * ttlMillis)),
                "looking for dead servers");
        if (dead == null) {
            return;
        }
        for (String gone : dead) {
            // Announced as each group's entries are removed, whether or not the whole sweep ends within a timeout.
            b.sweep(gone, entries -> sweeps.execute(() -> announce(gone, entries)));
        }
    }

    private void announce(String gone, List<Backplane.Gone> entries) {
        for (Backplane.Gone entry : entries) {
            GroupMember member = decode(entry.entry());
            if (member != null) {
                swept.increment();
                LOG.info(() -> "Switchboard: " + member.id() + " of server " + member.server() + " left group "
                        + entry.group() + ": its server stopped saying it is alive (" + gone + ")");
                try {
                    emit.accept(new MemberLeft(entry.group(), member));
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, e, () -> "Switchboard: an observer of MemberLeft failed");
                }
            }
        }
    }

    // The result within the timeout, or null (logged) if Redis did not give it.
    private <T> T await(CompletionStage<T> stage, String what) {
        try {
            return stage.toCompletableFuture().get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException | TimeoutException e) {
            if (heardSince != 0) { // once per outage, not at every beat
                LOG.warning(() -> "Switchboard: " + what + " did not reach Redis: " + e.getCause());
            }
            return null;
        }
    }

    /** Stops the heartbeats and sweeps and nothing else: as a crash does (tests). */
    void halt() {
        beats.shutdownNow();
        sweeps.shutdownNow();
    }

    /**
     * A graceful stop: this server's entries are removed and it says it is gone, within the timeout, so that no other
     * server lists or sweeps its members; their {@code MemberLeft} fires here as their connections close.
     */
    void close() {
        beats.shutdownNow();
        sweeps.shutdownNow();
        Backplane b = backplane.get();
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (String name : groups.keySet()) {
            writes.add(b.resync(name, incarnation, Map.of()).toCompletableFuture());
        }
        writes.add(b.leave(incarnation).toCompletableFuture());
        try {
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(timeoutMillis,
                    TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warning(() -> "Switchboard: could not remove this server's members from Redis while stopping (" + e
                    + "); other servers sweep them within " + ttlMillis + " ms");
        }
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
