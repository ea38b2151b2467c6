package dev.switchboard.groups.internal.backplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.groups.internal.backplane.Backplane;
import dev.switchboard.groups.internal.backplane.Backplane.Entry;
import dev.switchboard.groups.internal.backplane.Backplane.Published;
import dev.switchboard.groups.internal.backplane.Backplane.Seen;
import dev.switchboard.groups.internal.backplane.Backplane.Snapshot;
import dev.switchboard.it.RedisProcess;
import dev.switchboard.it.TcpRelay;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The backplane's scripts and connections against a real redis-server: offsets, replays, restarts, outages. */
class RedisBackplaneTest {

    private static final Duration BOUND = Duration.ofSeconds(20);

    private final List<AutoCloseable> open = new ArrayList<>();
    private final BlockingQueue<String> heard = new LinkedBlockingQueue<>(); // "group offset epoch payload"
    private final AtomicInteger reconnects = new AtomicInteger();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private RedisProcess redis(String... options) {
        RedisProcess redis = RedisProcess.run(options);
        open.add(redis);
        return redis;
    }

    private Backplane backplane(String uri) {
        return backplane(uri, 1);
    }

    private Backplane backplane(String uri, int pubsub) {
        return backplane(uri, pubsub, Duration.ofMillis(1000));
    }

    private Backplane backplane(String uri, int pubsub, Duration timeout) {
        Backplane backplane = RedisBackplane.open(uri, "sb-test", 3600, timeout, 100, 1000, pubsub,
                Executors.defaultThreadFactory(), new Backplane.Receiver() {
                    @Override
                    public void received(String group, Entry entry, String epoch) {
                        heard.add(group + " " + entry.offset() + " " + epoch + " " + entry.payload());
                    }

                    @Override
                    public void reconnected() {
                        reconnects.incrementAndGet();
                    }
                });
        open.add(0, backplane); // closed before its Redis
        backplane.check();
        return backplane;
    }

    private static <T> T get(java.util.concurrent.CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(BOUND.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void offsetsFollowEachOtherInOneEpochAndAreReadBack() throws Exception {
        Backplane backplane = backplane(redis().uri());
        Published first = get(backplane.publish("room", "{\"n\":1}", "a-1", Seen.NOTHING, 10));
        Published second = get(backplane.publish("room", "{\"n\":2}", "a-2", Seen.NOTHING, 10));
        Published third = get(backplane.publish("room", "{\"n\":3}", "a-3", Seen.NOTHING, 10));

        assertThat(List.of(first.offset(), second.offset(), third.offset())).containsExactly(1L, 2L, 3L);
        assertThat(second.epoch()).isEqualTo(first.epoch()).isEqualTo(third.epoch()).hasSize(16);
        Snapshot after1 = get(backplane.read("room", new Seen(first.epoch(), 1), 10));
        assertThat(after1.top()).isEqualTo(3);
        assertThat(after1.entries()).containsExactly(new Entry(2, "{\"n\":2}", "a-2"), new Entry(3, "{\"n\":3}", "a-3"));
    }

    @Test
    void theStreamKeepsTheLatestEntriesOnly() throws Exception {
        Backplane backplane = backplane(redis().uri());
        for (int i = 1; i <= 5; i++) {
            get(backplane.publish("room", "{}", "a-" + i, Seen.NOTHING, 2));
        }
        Snapshot all = get(backplane.read("room", Seen.NOTHING, 10));
        assertThat(all.top()).isEqualTo(5);
        assertThat(all.entries()).extracting(Entry::offset).containsExactly(4L, 5L);
    }

    @Test
    void aReplayedPublishGetsTheSameOffsetAndIsPublishedOnce() throws Exception {
        Backplane backplane = backplane(redis().uri());
        backplane.attach("room", 0);
        Published once = get(backplane.publish("room", "{\"n\":1}", "a-1", Seen.NOTHING, 10));
        Published again = get(backplane.publish("room", "{\"n\":1}", "a-1", Seen.NOTHING, 10)); // Lettuce's replay
        get(backplane.publish("room", "{\"n\":2}", "a-2", Seen.NOTHING, 10));

        assertThat(again).isEqualTo(once);
        assertThat(heard.poll(BOUND.toSeconds(), TimeUnit.SECONDS)).isEqualTo("room 1 " + once.epoch() + " {\"n\":1}");
        // one channel, in order: a second publish of a-1 would have come before this one
        assertThat(heard.poll(BOUND.toSeconds(), TimeUnit.SECONDS)).isEqualTo("room 2 " + once.epoch() + " {\"n\":2}");
        assertThat(get(backplane.read("room", Seen.NOTHING, 10)).entries()).hasSize(2);
    }

    @Test
    void aRedisThatLostItsScriptsIsGivenThemAgain() throws Exception {
        RedisProcess redis = redis();
        Backplane backplane = backplane(redis.uri());
        get(backplane.publish("room", "{}", "a-1", Seen.NOTHING, 10));
        assertThat(redis.call("SCRIPT FLUSH")).isEqualTo("+OK"); // as after a restart

        assertThat(get(backplane.publish("room", "{}", "a-2", Seen.NOTHING, 10)).offset()).isEqualTo(2);
        assertThat(get(backplane.read("room", Seen.NOTHING, 10)).top()).isEqualTo(2);
    }

    // One server's publishes to a group take offsets in the order they were issued, also while Redis has no scripts
    // cached (a fresh Redis, or one restarted or flushed under load) and another server publishes at the same time: a
    // publish retried after NOSCRIPT would land behind those issued after it, once the other server loaded the script.
    @Test
    void publishesTakeOffsetsInTheOrderTheyWereIssuedAlsoWhileRedisLosesItsScripts() throws Exception {
        RedisProcess redis = redis();
        Duration patient = Duration.ofSeconds(5); // 4,000 publishes on a loaded machine: none may time out
        Backplane backplane = backplane(redis.uri(), 1, patient);
        Backplane other = backplane(redis.uri(), 1, patient); // another server, on a connection of its own
        AtomicBoolean done = new AtomicBoolean();
        CompletableFuture<Void> otherServer = CompletableFuture.runAsync(() -> {
            for (int i = 0; !done.get(); i++) {
                other.publish("elsewhere", "{}", "b-" + i, Seen.NOTHING, 10).toCompletableFuture().join();
            }
        });
        int n = 4_000;
        List<CompletableFuture<Published>> published = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (i % 400 == 200) {
                assertThat(redis.call("SCRIPT FLUSH")).isEqualTo("+OK"); // while earlier ones are still in flight
            }
            if (i >= 50) { // a steady stream, as from a busy server: at most 50 in flight
                published.get(i - 50).get(BOUND.toSeconds(), TimeUnit.SECONDS);
            }
            published.add(backplane.publish("room", "{\"n\":" + i + "}", "a-" + i, Seen.NOTHING, n)
                    .toCompletableFuture());
        }
        done.set(true);
        otherServer.get(BOUND.toSeconds(), TimeUnit.SECONDS);
        for (int i = 0; i < n; i++) {
            assertThat(published.get(i).get(BOUND.toSeconds(), TimeUnit.SECONDS).offset())
                    .as("offset of publish %d", i).isEqualTo(i + 1L);
        }
    }

    @Test
    void aRedisBackFromAnOlderSnapshotStartsANewEpochForAServerThatSawMore() throws Exception {
        RedisProcess redis = redis("--save", "3600 1"); // Debian's default mode: snapshots, no AOF
        Backplane backplane = backplane(redis.uri());
        String epoch = null;
        for (int i = 1; i <= 3; i++) {
            epoch = get(backplane.publish("room", "{}", "a-" + i, Seen.NOTHING, 10)).epoch();
        }
        assertThat(redis.call("SAVE")).isEqualTo("+OK");
        get(backplane.publish("room", "{}", "a-4", Seen.NOTHING, 10));
        get(backplane.publish("room", "{}", "a-5", Seen.NOTHING, 10));
        redis.kill();
        redis.start();
        awaitReady(backplane, true); // Lettuce reconnected; until then commands are refused at once

        // The hazard: Redis came back at offset 3 in the same epoch; offsets 4 and 5 would be given again.
        Snapshot unguarded = get(backplane.read("room", Seen.NOTHING, 10));
        assertThat(unguarded.epoch()).isEqualTo(epoch);
        assertThat(unguarded.top()).isEqualTo(3);
        // A server that saw offset 5 in that epoch: a new epoch starts, before any offset is given again.
        Published next = get(backplane.publish("room", "{}", "a-6", new Seen(epoch, 5), 10));
        assertThat(next.epoch()).isNotEqualTo(epoch);
        assertThat(next.offset()).isEqualTo(1);
        Snapshot read = get(backplane.read("room", new Seen(epoch, 5), 10));
        assertThat(read.epoch()).isEqualTo(next.epoch()); // read agrees, and does not start yet another epoch
        assertThat(get(backplane.read("room", new Seen(next.epoch(), 0), 10)).entries()).extracting(Entry::id)
                .containsExactly("a-6");
    }

    @Test
    void aRedisWithAppendfsyncAlwaysKilledAndRestartedKeepsItsEpochAndOffsets() throws Exception {
        RedisProcess redis = redis("--appendonly", "yes", "--appendfsync", "always");
        Backplane backplane = backplane(redis.uri());
        Published last = null;
        for (int i = 1; i <= 5; i++) {
            last = get(backplane.publish("room", "{}", "a-" + i, Seen.NOTHING, 10));
        }
        redis.kill(); // kill -9: nothing but what the AOF already has
        redis.start();
        awaitReady(backplane, true);

        Published next = get(backplane.publish("room", "{}", "a-6", new Seen(last.epoch(), 5), 10));
        assertThat(next).isEqualTo(new Published(last.epoch(), 6)); // nothing lost, nothing given twice
        assertThat(get(backplane.read("room", Seen.NOTHING, 10)).entries()).hasSize(6);
    }

    @Test
    void aRedisWithoutPersistenceComesBackWithANewEpoch() throws Exception {
        RedisProcess redis = redis();
        Backplane backplane = backplane(redis.uri());
        String epoch = get(backplane.publish("room", "{}", "a-1", Seen.NOTHING, 10)).epoch();
        redis.kill();
        redis.start();
        awaitReady(backplane, true);

        Published next = get(backplane.publish("room", "{}", "a-2", Seen.NOTHING, 10));
        assertThat(next.epoch()).isNotEqualTo(epoch);
        assertThat(next.offset()).isEqualTo(1);
    }

    @Test
    void whileRedisIsUnreachablePublishesFailFastAndItConnectsWhenRedisComes() throws Exception {
        int port = RedisProcess.freePort();
        Backplane backplane = backplane("redis://127.0.0.1:" + port); // nothing there yet
        assertThat(backplane.ready()).isFalse();
        assertThat(backplane.status()).contains("cannot connect");
        long start = System.nanoTime();
        assertThatThrownBy(() -> get(backplane.publish("room", "{}", "a-1", Seen.NOTHING, 10)))
                .isInstanceOf(ExecutionException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));

        RedisProcess redis = RedisProcess.onPort(port);
        open.add(redis);
        redis.start();
        awaitReady(backplane, true);
        assertThat(get(backplane.publish("room", "{}", "a-2", Seen.NOTHING, 10)).offset()).isEqualTo(1);
    }

    @Test
    void connectionsThatStayOpenButDeliverNothingAreFoundByTheProbeAndReplaced() throws Exception {
        RedisProcess redis = redis();
        TcpRelay relay = new TcpRelay(redis.port());
        open.add(0, relay);
        Backplane backplane = backplane("redis://127.0.0.1:" + relay.port());
        backplane.attach("room", 0);
        awaitReady(backplane, true);

        relay.silence(); // both connections stay open; nothing Redis sends reaches this server
        awaitReady(backplane, false); // never "green while deaf"
        awaitReady(backplane, true);  // replaced by connections that work

        Published published = get(backplane.publish("room", "{}", "a-1", Seen.NOTHING, 10));
        assertThat(heard.poll(BOUND.toSeconds(), TimeUnit.SECONDS)).startsWith("room 1 " + published.epoch());
        assertThat(backplane.probeTimeouts()).isPositive();
    }

    @Test
    void aKilledSubscriberConnectionComesBackSubscribed() throws Exception {
        RedisProcess redis = redis();
        Backplane backplane = backplane(redis.uri());
        backplane.attach("room", 0);
        awaitReady(backplane, true);
        long connects = backplane.connects();

        assertThat(redis.call("CLIENT KILL TYPE pubsub")).isEqualTo(":1");
        await().atMost(BOUND).until(() -> backplane.connects() > connects); // Lettuce reconnects and resubscribes
        awaitReady(backplane, true);
        Published published = get(backplane.publish("room", "{}", "a-1", Seen.NOTHING, 10));
        assertThat(heard.poll(BOUND.toSeconds(), TimeUnit.SECONDS)).startsWith("room 1 " + published.epoch());
        assertThat(reconnects.get()).isGreaterThan(2);
    }

    @Test
    void groupsSpreadOverSeveralSubscriberConnectionsAreEachHeardAndComeBackAfterTheyAreAllKilled() throws Exception {
        RedisProcess redis = redis();
        Backplane backplane = backplane(redis.uri(), 3);
        List<String> groups = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            groups.add("room" + i);
            backplane.attach("room" + i, 0);
        }
        awaitReady(backplane, true);
        assertThat(backplane.probeTimeouts()).as("healthy connections answer every probe round").isZero();
        for (String round : List.of("before", "after")) {
            List<String> from = new ArrayList<>();
            for (String group : groups) {
                get(backplane.publish(group, "{\"" + round + "\":1}", round + group, Seen.NOTHING, 10));
            }
            for (int i = 0; i < groups.size(); i++) {
                String got = heard.poll(BOUND.toSeconds(), TimeUnit.SECONDS);
                assertThat(got).as("message %d of %s", i, round).isNotNull().contains(round);
                from.add(got.substring(0, got.indexOf(' ')));
            }
            assertThat(from).containsExactlyInAnyOrderElementsOf(groups); // every group heard, once
            assertThat(heard.poll(200, TimeUnit.MILLISECONDS)).as("nothing heard twice").isNull();
            if (round.equals("before")) {
                long connects = backplane.connects();
                assertThat(redis.call("CLIENT KILL TYPE pubsub")).as("three subscriber connections killed")
                        .isEqualTo(":3");
                await().atMost(BOUND).until(() -> backplane.connects() >= connects + 3);
                awaitReady(backplane, true);
            }
        }
    }

    // Calls check() as the server's timer does every interval, until ready() is as expected.
    private static void awaitReady(Backplane backplane, boolean ready) {
        await().atMost(BOUND).pollInterval(Duration.ofMillis(50)).until(() -> {
            backplane.check();
            return backplane.ready() == ready;
        });
    }

    /** A dead incarnation with {@code count} members over five groups: @return their entries */
    private static List<String> ghost(Backplane backplane, String incarnation, int count) throws Exception {
        List<String> entries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String entry = "{\"id\":\"m" + i + "\"}";
            get(backplane.present("room" + (i % 5), incarnation, "m" + i, entry));
            entries.add(entry);
        }
        get(backplane.heartbeat(incarnation, 1)); // alive for 1 ms, then dead
        return entries;
    }

    @Test
    void eightSweepersOfOneDeadServerAtOnceRemoveEachEntryExactlyOnce() throws Exception {
        Backplane backplane = backplane(redis().uri());
        List<String> entries = ghost(backplane, "ghost.0", 300);
        await().atMost(BOUND).until(() -> get(backplane.claim("sweeper.0", 60_000)).contains("ghost.0"));

        List<Backplane.Gone> removed = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        var pool = Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<?>> sweepers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                sweepers.add(pool.submit(() -> {
                    go.await();
                    return get(backplane.sweep("ghost.0", removed::addAll));
                }));
            }
            go.countDown();
            for (var sweeper : sweepers) {
                sweeper.get(BOUND.toSeconds(), TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(removed).hasSize(entries.size()); // each once, whichever sweeper removed it
        assertThat(removed.stream().map(Backplane.Gone::entry)).containsExactlyInAnyOrderElementsOf(entries);
        assertThat(get(backplane.presence("room0"))).isEmpty();
        assertThat(get(backplane.claim("sweeper.0", 60_000))).isEmpty(); // nothing left to sweep
    }

    @Test
    void aServerTakenForDeadIsToldSoAtItsNextHeartbeatAndItsNewIncarnationIsNotSwept() throws Exception {
        Backplane backplane = backplane(redis().uri());
        ghost(backplane, "late.0", 10);
        await().atMost(BOUND).until(() -> get(backplane.claim("sweeper.0", 60_000)).contains("late.0"));
        // its heartbeat comes late, after the claim and before the sweep
        assertThat(get(backplane.heartbeat("late.0", 60_000))).isEqualTo(Backplane.Heartbeat.SWEPT);
        assertThat(get(backplane.heartbeat("late.1", 60_000))).isEqualTo(Backplane.Heartbeat.LOST);
        get(backplane.resync("room0", "late.1", java.util.Map.of("m0", "{\"id\":\"m0\",\"again\":1}")));

        List<Backplane.Gone> removed = new java.util.concurrent.CopyOnWriteArrayList<>();
        get(backplane.sweep("late.0", removed::addAll));
        assertThat(removed).hasSize(10);
        assertThat(get(backplane.presence("room0"))).containsExactly("{\"id\":\"m0\",\"again\":1}");
        assertThat(get(backplane.heartbeat("late.1", 60_000))).isEqualTo(Backplane.Heartbeat.FINE);
        assertThat(get(backplane.claim("sweeper.0", 60_000))).isEmpty();
    }
}
