package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Several servers on Redis, as users run them: two Liberty servers of their own (ports 9181 and 9182, besides the
 * Arquillian server on 9080) with the demo, one real redis-server, real WebSocket clients on each server. The demo's
 * rooms keep history, so every frame sent to a room carries its offset: the checks below are on offsets and contents.
 * The tests that kill Redis or a server come last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ClusterIT {

    private static final Duration BOUND = Duration.ofSeconds(60);
    private static RedisProcess redis;
    private static LibertyNode a;
    private static LibertyNode b;

    @BeforeAll
    static void start() {
        redis = RedisProcess.run();
        Map<String, String> cluster = Map.of("switchboard.cluster.redis", redis.uri(),
                "switchboard.cluster.check-ms", "200", "switchboard.cluster.presence-ttl-ms", "5000",
                "switchboard.cluster.heartbeat-ms", "200");
        a = new LibertyNode("cluster-a", 9181, cluster, Deployments.app());
        b = new LibertyNode("cluster-b", 9182, cluster, Deployments.app());
        CompletableFuture<?> startA = CompletableFuture.runAsync(a::start);
        b.start();
        startA.join();
        awaitReady(a, 200);
        awaitReady(b, 200);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {a, b, redis}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                System.err.println("ClusterIT: stopping " + c + " failed: " + e);
            }
        }
    }

    private static String room() {
        return "c" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Joins a demo room on {@code node}: returns once the welcome and the member list have come. */
    private static WsClient join(LibertyNode node, String path) {
        WsClient client = WsClient.connectAsync(node.ws(), path, true, true, Map.of()).join();
        assertThat(client.nextJson().getString("type")).isEqualTo("welcome");
        JsonObject next = client.nextJson();
        while (!next.containsKey("members")) { // a resume's frames may come first
            next = client.nextJson();
        }
        return client;
    }

    private static int health(LibertyNode node) {
        try {
            HttpResponse<String> r = Server.HTTP_CLIENT.send(HttpRequest.newBuilder(URI.create(node.http()
                    + "/health/ready")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static void awaitReady(LibertyNode node, int status) {
        await().atMost(BOUND).until(() -> health(node) == status);
    }

    /** Reads frames until {@code chats} chat messages have come; @return every frame that has an offset, in order */
    private static List<JsonObject> readChats(WsClient client, int chats) {
        List<JsonObject> stamped = new ArrayList<>();
        int seen = 0;
        while (seen < chats) {
            JsonObject frame = client.nextJson();
            if (frame.containsKey("offset")) {
                stamped.add(frame);
            }
            if (frame.containsKey("message")) {
                seen++;
            }
        }
        return stamped;
    }

    /** Reads frames until a presence frame with {@code key} ("joined", "left", "members") comes: @return it */
    private static JsonObject nextPresence(WsClient client, String key) {
        JsonObject frame = client.nextJson();
        while (!("presence".equals(frame.getString("type", "")) && frame.containsKey(key))) {
            frame = client.nextJson();
        }
        return frame;
    }

    /** Reads the member list of a client alone in its room: @return its own presence entry, the only one */
    private static JsonObject first(WsClient client) {
        JsonArray members = nextPresence(client, "members").getJsonArray("members");
        assertThat(members).hasSize(1);
        return members.getJsonObject(0);
    }

    /** @return the next member another connection than {@code self} announced joined */
    private static JsonObject nextJoinedOtherThan(WsClient client, JsonObject self) {
        JsonObject joined = nextPresence(client, "joined").getJsonObject("joined");
        while (joined.getString("id").equals(self.getString("id"))) { // its own join may come after its member list
            joined = nextPresence(client, "joined").getJsonObject("joined");
        }
        return joined;
    }

    private static boolean isLeftOf(JsonObject frame, String id) {
        return "presence".equals(frame.getString("type", "")) && frame.containsKey("left")
                && frame.getJsonObject("left").getString("id").equals(id);
    }

    private static void assertContiguous(List<JsonObject> stamped) {
        for (int i = 1; i < stamped.size(); i++) {
            assertThat(stamped.get(i).getJsonNumber("offset").longValue())
                    .as("offset after %s", stamped.get(i - 1)).isEqualTo(
                            stamped.get(i - 1).getJsonNumber("offset").longValue() + 1);
            assertThat(stamped.get(i).getString("epoch")).isEqualTo(stamped.get(0).getString("epoch"));
        }
    }

    private static List<String> texts(List<JsonObject> stamped) {
        return stamped.stream().filter(f -> f.containsKey("message"))
                .map(f -> f.getJsonObject("message").getString("text")).toList();
    }

    /**
     * Connects to the room on {@code node} resuming after {@code position}: the first frames are the next offsets
     * after it, with no gap, and the chat messages among them are exactly {@code prefix}0 .. {@code prefix}(n-1).
     */
    private static void assertResumesWith(LibertyNode node, String room, JsonObject position, String prefix, int n) {
        WsClient back = WsClient.connectAsync(node.ws(), "/chat/" + room + "?since="
                + position.getJsonNumber("offset").longValue() + "&epoch=" + position.getString("epoch"), true, true,
                Map.of()).join();
        List<JsonObject> resumed = readChats(back, n);
        assertThat(resumed.get(0).getJsonNumber("offset").longValue())
                .isEqualTo(position.getJsonNumber("offset").longValue() + 1);
        assertContiguous(resumed);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            expected.add(prefix + i);
        }
        assertThat(texts(resumed)).isEqualTo(expected);
        back.close();
    }

    @Test
    @Order(1)
    void messagesSentOnBothServersAtOnceReachEveryMemberOnBothInOneOrderExactlyOnce() {
        String room = room();
        WsClient onA = join(a, "/chat/" + room);
        WsClient onB = join(b, "/chat/" + room);
        int each = 300;
        CompletableFuture<Void> fromA = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < each; i++) {
                onA.send("{\"text\":\"a-" + i + "\"}");
            }
        });
        for (int i = 0; i < each; i++) {
            onB.send("{\"text\":\"b-" + i + "\"}");
        }
        fromA.join();

        List<JsonObject> atA = readChats(onA, 2 * each);
        List<JsonObject> atB = readChats(onB, 2 * each);
        assertContiguous(atA);
        assertContiguous(atB);
        // one order: the frames both saw are the same frames, offset for offset
        long common = atB.get(0).getJsonNumber("offset").longValue();
        assertThat(atA.stream().filter(f -> f.getJsonNumber("offset").longValue() >= common).toList())
                .isEqualTo(atB);
        List<String> texts = texts(atA);
        assertThat(new HashSet<>(texts)).hasSize(2 * each); // exactly once
        for (String sender : List.of("a-", "b-")) { // each client's own order kept
            assertThat(texts.stream().filter(t -> t.startsWith(sender)).map(t -> Integer.parseInt(t.substring(2))))
                    .isSorted();
        }
        onA.close();
        onB.close();
    }

    @Test
    @Order(2)
    void aClientThatLeftOneServerResumesOnTheOtherWithNothingMissedOrRepeated() {
        String room = room();
        WsClient leaving = join(a, "/chat/" + room);
        WsClient sender = join(b, "/chat/" + room);
        for (int i = 0; i < 10; i++) {
            sender.send("{\"text\":\"before-" + i + "\"}");
        }
        List<JsonObject> before = readChats(leaving, 10);
        JsonObject last = before.get(before.size() - 1);
        leaving.close();
        for (int i = 0; i < 10; i++) {
            sender.send("{\"text\":\"after-" + i + "\"}");
        }
        readChats(sender, 20); // all 20 are in the room's history now

        assertResumesWith(b, room, last, "after-", 10);
        sender.close();
    }

    @Test
    @Order(3)
    void aNewcomerOnOneServerSeesTheMembersOfBothAndTheOthersSeeItJoin() {
        String room = room();
        WsClient onA = WsClient.connectAsync(a.ws(), "/chat/" + room, true, true, Map.of()).join();
        JsonObject self = first(onA);
        WsClient onB = WsClient.connectAsync(b.ws(), "/chat/" + room, true, true, Map.of()).join();
        List<JsonObject> members = nextPresence(onB, "members").getJsonArray("members")
                .getValuesAs(JsonObject.class);
        assertThat(members).hasSize(2);
        assertThat(members.stream().map(m -> m.getString("server")).distinct()).hasSize(2);

        assertThat(members).contains(self);
        JsonObject joined = nextJoinedOtherThan(onA, self); // sent on b, delivered on a
        assertThat(members).contains(joined);
        assertThat(joined.getString("server")).isNotEqualTo(self.getString("server"));
        onA.close();
        onB.close();
    }

    @Test
    @Order(4)
    void whileRedisIsAwayReadinessIsDownConnectionsStayAndDeliveryResumesByItself() throws Exception {
        String room = room();
        WsClient onA = join(a, "/chat/" + room);
        WsClient onB = join(b, "/chat/" + room);
        onB.send("{\"text\":\"first\"}");
        String epoch = readChats(onA, 1).get(0).getString("epoch");
        readChats(onB, 1);

        redis.kill();
        awaitReady(a, 503);
        awaitReady(b, 503);
        assertThat(onA.isClosed()).isFalse();
        // a room no server serves yet cannot be joined without Redis: the client is told to try again later
        WsClient newcomer = WsClient.connectAsync(a.ws(), "/chat/" + room(), true, true, Map.of()).join();
        WsClient.Close refused = newcomer.awaitClose();
        assertThat(refused.code()).isEqualTo(1013);
        assertThat(refused.reason()).contains("try again later").doesNotContain("127.0.0.1");
        redis.start();
        awaitReady(a, 200);
        awaitReady(b, 200);
        onB.send("{\"text\":\"second\"}");

        for (WsClient client : List.of(onA, onB)) {
            JsonObject reset = client.nextJson();
            while (!"reset".equals(reset.getString("type", ""))) {
                assertThat(reset.containsKey("message")).as("no message before the reset: %s", reset).isFalse();
                reset = client.nextJson();
            }
            assertThat(reset.getString("epoch")).isNotEqualTo(epoch); // Redis without persistence lost the room
            List<JsonObject> after = readChats(client, 1);
            assertThat(texts(after)).containsExactly("second");
            assertThat(after.get(after.size() - 1).getString("epoch")).isEqualTo(reset.getString("epoch"));
        }
        onA.close();
        onB.close();
    }

    @Test
    @Order(5)
    void theClientsOfAServerKilledMidStreamResumeOnTheOtherAndItsMembersAreAnnouncedLeft() {
        String room = room();
        WsClient sender = WsClient.connectAsync(a.ws(), "/chat/" + room, true, true, Map.of()).join();
        JsonObject self = first(sender);
        WsClient onB = join(b, "/chat/" + room);
        JsonObject joined = nextJoinedOtherThan(sender, self);
        for (int i = 0; i < 5; i++) {
            sender.send("{\"text\":\"before-" + i + "\"}");
        }
        List<JsonObject> before = readChats(onB, 5);
        JsonObject position = before.get(before.size() - 1);
        b.kill();
        await().atMost(BOUND).until(onB::isClosed); // no close frame: the server is gone
        for (int i = 0; i < 5; i++) {
            sender.send("{\"text\":\"after-" + i + "\"}");
        }
        List<JsonObject> seen = new ArrayList<>(readChats(sender, 10));

        assertResumesWith(a, room, position, "after-", 5);
        // b's member is announced left by a, once b's heartbeats have been missing for the presence TTL (that it is
        // announced once however many servers sweep: ClusterTest and RedisBackplaneTest, with real contention)
        String id = joined.getString("id");
        while (seen.stream().noneMatch(f -> isLeftOf(f, id))) {
            seen.add(sender.nextJson());
        }
        JsonObject left = seen.stream().filter(f -> isLeftOf(f, id)).findFirst().orElseThrow();
        assertThat(left.getJsonObject("left").getString("server")).isEqualTo(joined.getString("server"));
        sender.close();
    }
}
