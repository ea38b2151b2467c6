package dev.switchboard.groups.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.connections.internal.TestConnections;
import dev.switchboard.events.RecordingEvents;
import dev.switchboard.groups.ClusterUnavailableException;
import dev.switchboard.groups.GroupMember;
import dev.switchboard.groups.GroupPolicy;
import dev.switchboard.groups.Join;
import dev.switchboard.groups.MemberLeft;
import dev.switchboard.groups.Position;
import dev.switchboard.groups.SendReport;
import dev.switchboard.groups.internal.backplane.Backplane;
import dev.switchboard.groups.internal.backplane.RedisBackplane;
import dev.switchboard.internal.delivery.JsonCodec;
import dev.switchboard.internal.delivery.Member;
import dev.switchboard.it.RedisProcess;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two servers in one JVM (two group registries, each with its own connections, senders and Lettuce clients) joined
 * through a real redis-server: one order per group across servers, resume on the other server, what pub/sub loses,
 * Redis restarts and outages. The same on real Liberty servers: ClusterIT.
 */
class ClusterTest {

    private static final Duration BOUND = Duration.ofSeconds(30);

    private final RedisProcess redis = RedisProcess.run();
    private final List<TestConnections> connections = new ArrayList<>();
    private final List<GroupRegistry> servers = new ArrayList<>();
    private final RecordingEvents events = new RecordingEvents();
    /** What each server's presence sweeps announced: MemberLeft of a crashed server's members. */
    private final Map<GroupRegistry, List<Object>> swept = new ConcurrentHashMap<>();
    private static final long PRESENCE_TTL = 2500;
    private static final long HEARTBEAT = 100;

    @AfterEach
    void stop() {
        servers.forEach(GroupRegistry::stop);
        connections.forEach(TestConnections::close);
        redis.close();
    }

    /** A server: its registry, on the test's Redis, its groups named room* keeping 10,000 messages. */
    private GroupRegistry server() {
        return server(100, entry -> false);
    }

    /**
     * A server that reads every group from Redis every {@code readAllMillis} and does not hear the pub/sub messages
     * {@code lost} picks (as if its subscriber connection had dropped them).
     */
    private GroupRegistry server(long readAllMillis, java.util.function.Predicate<Backplane.Entry> lost) {
        TestConnections wires = new TestConnections(100_000, 1 << 26);
        connections.add(wires);
        GroupRegistry registry = new GroupRegistry();
        registry.codec = new JsonCodec();
        registry.events = events;
        registry.outboxLimits = wires.limits();
        registry.settings = GroupSettings.defaults();
        registry.authorization = request -> { };
        registry.init();
        registry.policy("room", GroupPolicy.withHistory(10_000));
        registry.cluster = new ClusterSync(registry.groups, registry.totalDropped, 1000, 1000, 100, readAllMillis,
                Executors.newSingleThreadScheduledExecutor(), Executors.defaultThreadFactory(), () -> { }, nanos -> { },
                receiver -> RedisBackplane.open(redis.uri(), "sb", 3600, Duration.ofMillis(1000), 100, 10_000,
                        Executors.defaultThreadFactory(), new Backplane.Receiver() {
                            @Override
                            public void received(String group, Backplane.Entry entry, String epoch) {
                                if (!lost.test(entry)) {
                                    receiver.received(group, entry, epoch);
                                }
                            }

                            @Override
                            public void reconnected() {
                                receiver.reconnected();
                            }
                        }));
        List<Object> sweptHere = new CopyOnWriteArrayList<>();
        swept.put(registry, sweptHere);
        registry.presence = new ClusterPresence(registry.server, registry.cluster::backplane, registry.groups,
                PRESENCE_TTL, HEARTBEAT, 1000, Executors.defaultThreadFactory(), registry.cluster.completions(),
                sweptHere::add);
        servers.add(registry);
        awaitReady(registry);
        return registry;
    }

    private static void awaitReady(GroupRegistry server) {
        await().atMost(BOUND).until(() -> server.cluster.backplane().ready());
    }

    private Member member(GroupRegistry server, String id) {
        return connections.get(servers.indexOf(server)).open(id, events);
    }

    private TestConnections.Wire wire(GroupRegistry server, String id) {
        return connections.get(servers.indexOf(server)).wire(id);
    }

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }

    /** @return the next {@code count} frames written to the member, failing if one does not come within the bound */
    private static List<JsonObject> frames(TestConnections.Wire wire, int count) throws InterruptedException {
        List<JsonObject> frames = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String frame = wire.next(BOUND.toSeconds());
            assertThat(frame).as("frame %d of %d", i + 1, count).isNotNull();
            frames.add(json(frame));
        }
        return frames;
    }

    private static List<Long> offsets(List<JsonObject> frames) {
        return frames.stream().map(f -> f.getJsonNumber("offset").longValue()).toList();
    }

    private static List<Long> range(long from, long to) {
        List<Long> range = new ArrayList<>();
        for (long o = from; o <= to; o++) {
            range.add(o);
        }
        return range;
    }

    private static SendReport sent(CompletableFuture<SendReport> report) throws Exception {
        return report.get(BOUND.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void twoServersSendingToOneGroupAtOnceGiveEveryMemberOneOrderExactlyOnce() throws Exception {
        GroupRegistry a = server();
        GroupRegistry b = server();
        a.join("room", member(a, "a1"));
        b.join("room", member(b, "b1"));
        int each = 1000;
        List<CompletableFuture<SendReport>> reports = new ArrayList<>();
        CompletableFuture<Void> fromA = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < each; i++) {
                reports.add(a.send("room", Json.createObjectBuilder().add("from", "a").add("n", i).build())
                        .toCompletableFuture());
            }
        });
        List<CompletableFuture<SendReport>> reportsB = new ArrayList<>();
        for (int i = 0; i < each; i++) { // at the same time, from this thread
            reportsB.add(b.send("room", Json.createObjectBuilder().add("from", "b").add("n", i).build())
                    .toCompletableFuture());
        }
        fromA.get(BOUND.toSeconds(), TimeUnit.SECONDS);

        List<JsonObject> atA = frames(wire(a, "a1"), 2 * each);
        List<JsonObject> atB = frames(wire(b, "b1"), 2 * each);
        assertThat(offsets(atA)).isEqualTo(range(1, 2 * each));
        assertThat(atB).isEqualTo(atA); // the same messages, in the same order, on both servers
        assertThat(atA.stream().filter(f -> f.getString("from").equals("a")).map(f -> f.getInt("n")).toList())
                .isEqualTo(range(0, each - 1).stream().map(Long::intValue).toList()); // each sender's own order kept
        for (CompletableFuture<SendReport> report : reports) {
            assertThat(sent(report).delivered()).as("the member on the sender's server").isEqualTo(1);
        }
        assertThat(wire(a, "a1").next(1)).isNull(); // nothing more: no duplicate came after
    }

    @Test
    void aMemberResumesOnAnotherServerWithNoGapAndNoDuplicate() throws Exception {
        GroupRegistry a = server();
        GroupRegistry b = server();
        Member left = member(a, "a1");
        a.join("room", left);
        for (int i = 1; i <= 30; i++) {
            sent(a.send("room", Json.createObjectBuilder().add("n", i).build()).toCompletableFuture());
        }
        List<JsonObject> seen = frames(wire(a, "a1"), 30);
        String epoch = seen.get(19).getString("epoch");
        left.close(jakarta.websocket.CloseReason.CloseCodes.NORMAL_CLOSURE, "bye"); // the client left after offset 20 (it read no further), and comes back on server b

        Member back = member(b, "b1");
        Position at = b.join("room", back, Join.FRESH.resumingFrom(new Position(epoch, 20)));
        assertThat(at).isEqualTo(new Position(epoch, 30));
        sent(a.send("room", Json.createObjectBuilder().add("n", 31).build()).toCompletableFuture());

        List<JsonObject> resumed = frames(wire(b, "b1"), 11);
        assertThat(offsets(resumed)).isEqualTo(range(21, 31));
        assertThat(resumed.stream().map(f -> f.getInt("n")).toList()).isEqualTo(
                range(21, 31).stream().map(Long::intValue).toList());
    }

    @Test
    void whatPubSubLosesWhileTheSubscriberIsKilledIsFilledFromTheStream() throws Exception {
        GroupRegistry a = server();
        GroupRegistry b = server();
        a.join("room", member(a, "a1"));
        b.join("room", member(b, "b1"));
        int count = 3000;
        for (int i = 1; i <= count; i++) {
            a.send("room", Json.createObjectBuilder().add("n", i).build());
            if (i % 500 == 0) {
                redis.call("CLIENT KILL TYPE pubsub"); // both servers' subscribers, mid-stream
            }
        }
        List<JsonObject> atB = frames(wire(b, "b1"), count);
        assertThat(offsets(atB)).isEqualTo(range(1, count));
        assertThat(offsets(frames(wire(a, "a1"), count))).isEqualTo(range(1, count));
        assertThat(b.cluster.gapFills.sum() + a.cluster.gapFills.sum()).as("gaps filled from the stream").isPositive();
    }

    @Test
    void aGapIsReadFromTheStreamAsSoonAsAMessageArrivesAfterIt() throws Exception {
        GroupRegistry a = server();
        // b checks only once a minute, and its subscriber loses one message in ten (never the last, which no later
        // message would reveal before the check): only the read a gap starts can fill them
        GroupRegistry b = server(60_000, entry -> entry.offset() % 10 == 5);
        b.join("room", member(b, "b1"));
        for (int i = 1; i <= 200; i++) {
            a.send("room", Json.createObjectBuilder().add("n", i).build());
        }
        assertThat(offsets(frames(wire(b, "b1"), 200))).isEqualTo(range(1, 200));
        assertThat(b.cluster.gapFills.sum()).isPositive();
    }

    @Test
    void aResumeOnAServerThatIsBehindTheClientWaitsForItInsteadOfReplayingEverything() throws Exception {
        GroupRegistry a = server();
        // b does not hear offsets 21 to 1200 by pub/sub (more than one read's batch) and reads every group only once a
        // minute: it stays behind the client
        GroupRegistry b = server(60_000, entry -> entry.offset() > 20 && entry.offset() <= 1200);
        b.join("room", member(b, "b0")); // b serves the group, at offset 0
        Member left = member(a, "a1");
        a.join("room", left);
        List<CompletableFuture<SendReport>> reports = new ArrayList<>();
        for (int i = 1; i <= 1200; i++) {
            reports.add(a.send("room", Json.createObjectBuilder().add("n", i).build()).toCompletableFuture());
        }
        sent(reports.get(reports.size() - 1));
        String epoch = frames(wire(a, "a1"), 1200).get(0).getString("epoch");
        left.close(jakarta.websocket.CloseReason.CloseCodes.NORMAL_CLOSURE, "bye");

        Member back = member(b, "b1");
        b.join("room", back, Join.FRESH.resumingFrom(new Position(epoch, 25)));
        assertThat(sent(b.send("room", Json.createObjectBuilder().add("n", 1201).build()).toCompletableFuture())
                .delivered()).as("b keeps reading after the catch-up: its own send reaches its members").isEqualTo(2);
        List<JsonObject> resumed = frames(wire(b, "b1"), 1176);
        assertThat(resumed).noneMatch(f -> f.containsKey("type")); // no reset: nothing replayed from the start
        assertThat(offsets(resumed)).isEqualTo(range(26, 1201));
    }

    @Test
    void aRedisRestartedWithoutPersistenceResetsEveryMemberToTheNewEpochAndDeliveryResumesByItself()
            throws Exception {
        GroupRegistry a = server();
        GroupRegistry b = server();
        a.join("room", member(a, "a1"));
        b.join("room", member(b, "b1"));
        for (int i = 1; i <= 10; i++) {
            sent(a.send("room", Json.createObjectBuilder().add("n", i).build()).toCompletableFuture());
        }
        String before = frames(wire(b, "b1"), 10).get(9).getString("epoch");
        frames(wire(a, "a1"), 10);

        redis.kill();
        assertThatThrownBy(() -> sent(a.send("room", Json.createObjectBuilder().add("n", 11).build())
                .toCompletableFuture()))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(ClusterUnavailableException.class)
                .hasMessageContaining("room");
        redis.start();
        awaitReady(a);
        awaitReady(b);
        for (int i = 1; i <= 5; i++) {
            sent(a.send("room", Json.createObjectBuilder().add("n", i).build()).toCompletableFuture());
        }

        for (String id : List.of("a1", "b1")) {
            TestConnections.Wire wire = wire(id.startsWith("a") ? a : b, id);
            JsonObject reset = frames(wire, 1).get(0);
            assertThat(reset.getString("type")).isEqualTo("reset");
            assertThat(reset.getInt("offset")).isZero();
            String after = reset.getString("epoch");
            assertThat(after).isNotEqualTo(before);
            List<JsonObject> next = frames(wire, 5);
            assertThat(offsets(next)).isEqualTo(range(1, 5));
            assertThat(next).allSatisfy(f -> assertThat(f.getString("epoch")).isEqualTo(after));
            assertThat(wire.next(1)).isNull();
        }
    }

    @Test
    void whileRedisIsDownANewGroupIsRefusedAndTheConnectionStaysOpen() throws Exception {
        GroupRegistry a = server();
        Member member = member(a, "a1");
        a.join("room", member);
        redis.kill();

        assertThatThrownBy(() -> a.join("room-2", member)).isInstanceOf(ClusterUnavailableException.class)
                .hasMessageContaining("room-2").hasMessageContaining("unreachable");
        assertThat(member.isOpen()).isTrue();
        assertThat(a.groupsOf(member)).containsExactly("room");
        await().atMost(BOUND).until(() -> !a.cluster.backplane().ready());

        redis.start();
        awaitReady(a);
        a.join("room-2", member);
        assertThat(sent(a.send("room-2", Json.createObjectBuilder().add("n", 1).build()).toCompletableFuture())
                .delivered()).isEqualTo(1);
    }

    /** @return who {@code server} lists in {@code group}: "server/id" */
    private static List<String> listed(GroupRegistry server, String group) throws Exception {
        return server.presence(group).toCompletableFuture().get(BOUND.toSeconds(), TimeUnit.SECONDS).stream()
                .map(m -> m.server() + "/" + m.id()).sorted().toList();
    }

    private static String at(GroupRegistry server, String id) {
        return server.server() + "/" + id;
    }

    @Test
    void presenceListsTheMembersOfEveryServerWithTheirServerAndConnectionWhereItIsLocal() throws Exception {
        GroupRegistry a = server();
        GroupRegistry b = server();
        a.join("room", member(a, "a1"), Join.FRESH.withAttributes(Map.of("name", "Ada")));
        Member b1 = member(b, "b1");
        b.join("room", b1);
        b.join("room", member(b, "b2"));

        // a join returns before Redis has its entry: another server lists it a moment later
        List<String> everyone = List.of(at(a, "a1"), at(b, "b1"), at(b, "b2")).stream().sorted().toList();
        await().atMost(BOUND).untilAsserted(() -> {
            assertThat(listed(a, "room")).isEqualTo(everyone);
            assertThat(listed(b, "room")).isEqualTo(everyone);
        });
        List<GroupMember> seenFromB = b.presence("room").toCompletableFuture().get(BOUND.toSeconds(),
                TimeUnit.SECONDS);
        GroupMember ada = seenFromB.stream().filter(m -> m.id().equals("a1")).findFirst().orElseThrow();
        assertThat(ada.connection()).isEmpty(); // on the other server
        assertThat(ada.attributes()).isEqualTo(Map.of("name", "Ada"));
        assertThat(seenFromB.stream().filter(m -> m.id().equals("b1")).findFirst().orElseThrow().connection())
                .contains(b1);

        b.leave("room", b1);
        assertThat(listed(b, "room")).doesNotContain(at(b, "b1")); // at once where it left
        await().atMost(BOUND).untilAsserted(() -> assertThat(listed(a, "room")).doesNotContain(at(b, "b1"))
                .contains(at(b, "b2")));
    }

    @Test
    void joinsAndLeavesRacingOnTwoServersLeaveExactlyTheMembersThatStayedInEveryList() throws Exception {
        GroupRegistry a = server();
        GroupRegistry b = server();
        int perServer = 12;
        List<Member> all = new ArrayList<>();
        for (GroupRegistry server : List.of(a, b)) {
            for (int i = 0; i < perServer; i++) {
                all.add(member(server, (server == a ? "a" : "b") + i));
            }
        }
        a.join("room", all.get(0)); // the group exists on both servers before the race
        b.join("room", all.get(perServer));
        var pool = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<Void>> racers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = t;
                racers.add(CompletableFuture.runAsync(() -> {
                    java.util.Random random = new java.util.Random(seed);
                    for (int i = 0; i < 400; i++) {
                        Member m = all.get(random.nextInt(all.size()));
                        GroupRegistry server = all.indexOf(m) < perServer ? a : b;
                        if (random.nextBoolean()) {
                            server.join("room", m);
                        } else {
                            server.leave("room", m);
                        }
                    }
                }, pool));
            }
            CompletableFuture.allOf(racers.toArray(CompletableFuture[]::new)).get(BOUND.toSeconds(), TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        List<String> members = new ArrayList<>();
        for (GroupRegistry server : List.of(a, b)) {
            server.members("room").forEach(m -> members.add(at(server, m.id())));
        }
        List<String> expected = members.stream().sorted().toList();
        await().atMost(BOUND).untilAsserted(() -> { // the writes are asynchronous: they land within the bound
            assertThat(listed(a, "room")).isEqualTo(expected);
            assertThat(listed(b, "room")).isEqualTo(expected);
        });
        assertThat(swept.values()).allSatisfy(s -> assertThat(s).isEmpty());
    }

    @Test
    void theMembersOfACrashedServerLeaveWithinTheTtlEachAnnouncedOnceByOneSurvivor() throws Exception {
        GroupRegistry a = server();
        GroupRegistry c = server();
        GroupRegistry b = server();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String group = "room" + (i % 4);
            b.join(group, member(b, "b" + i));
            expected.add(group + "/b" + i);
        }
        a.join("room0", member(a, "a1"));
        await().atMost(BOUND).until(() -> listed(a, "room0").size() == 11);

        long crashed = System.nanoTime();
        b.presence.halt(); // no leave reaches Redis, its heartbeats stop: as kill -9 does
        b.cluster.close();
        servers.remove(b);

        List<String> announced = new CopyOnWriteArrayList<>();
        await().atMost(BOUND).untilAsserted(() -> {
            announced.clear();
            for (GroupRegistry survivor : List.of(a, c)) {
                for (Object event : swept.get(survivor)) {
                    MemberLeft left = (MemberLeft) event;
                    assertThat(left.member().server()).isEqualTo(b.server());
                    assertThat(left.member().connection()).isEmpty();
                    announced.add(left.group() + "/" + left.member().id());
                }
            }
            assertThat(announced).hasSize(expected.size());
        });
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - crashed);
        assertThat(announced).containsExactlyInAnyOrderElementsOf(expected); // each once, by a or by c
        // within the TTL, and the sweep after it (the key expires one TTL after the last heartbeat)
        assertThat(tookMillis).isBetween(PRESENCE_TTL - 2 * HEARTBEAT, PRESENCE_TTL + 20 * HEARTBEAT);
        assertThat(listed(a, "room0")).containsExactly(at(a, "a1"));
        // nothing announced twice afterwards: two more sweeps of each survivor
        await().during(Duration.ofMillis(4 * HEARTBEAT)).atMost(BOUND).until(
                () -> swept.get(a).size() + swept.get(c).size() == expected.size());
    }

    @Test
    void presenceComesBackAfterARedisRestartWithoutPersistenceAndNoLiveMemberIsSwept() throws Exception {
        GroupRegistry a = server();
        GroupRegistry b = server();
        a.join("room", member(a, "a1"));
        b.join("room", member(b, "b1"));
        await().atMost(BOUND).until(() -> listed(a, "room").size() == 2);

        redis.kill();
        redis.start(); // empty: presence, heartbeats and the servers' index are gone
        awaitReady(a);
        awaitReady(b);
        b.join("room", member(b, "b2"));

        await().atMost(BOUND).untilAsserted(() -> assertThat(listed(a, "room"))
                .containsExactlyInAnyOrder(at(a, "a1"), at(b, "b1"), at(b, "b2")));
        // both have been heard for a whole TTL since, so both sweep: and neither takes the other for dead
        await().during(Duration.ofMillis(PRESENCE_TTL + 4 * HEARTBEAT)).atMost(BOUND)
                .until(() -> swept.get(a).isEmpty() && swept.get(b).isEmpty());
        assertThat(listed(b, "room")).hasSize(3);
    }

    @Test
    void aServerThatStopsTakesItsMembersOffEveryListAndIsNeverSwept() throws Exception {
        GroupRegistry a = server();
        GroupRegistry b = server();
        a.join("room", member(a, "a1"));
        b.join("room", member(b, "b1"));
        await().atMost(BOUND).until(() -> listed(a, "room").size() == 2);

        b.stop(); // graceful: its members leave every list at once; their MemberLeft fires on b as they close
        servers.remove(b);
        assertThat(listed(a, "room")).containsExactly(at(a, "a1"));
        await().during(Duration.ofMillis(PRESENCE_TTL + 4 * HEARTBEAT)).atMost(BOUND)
                .until(() -> swept.get(a).isEmpty());
    }
}
