package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Presence frames and member lists, and {@code GET /api/groups/{name}}. */
class PresenceIT extends DeployedAppTest {

    /** @return the next presence frame, skipping room messages */
    private static JsonObject nextPresence(WsClient client) {
        JsonObject frame = client.nextJson();
        while (!"presence".equals(frame.getString("type", ""))) {
            frame = client.nextJson();
        }
        return frame;
    }

    @Test
    void aNewcomerGetsTheMemberListAndEveryoneSeesJoinsAndLeaves() {
        try (WsClient a = WsClient.connect("/chat/presence-1")) {
            assertThat(a.nextJson().getString("type")).isEqualTo("welcome");
            JsonObject list = nextPresence(a);
            assertThat(list.getJsonArray("members")).hasSize(1);
            String aId = list.getJsonArray("members").getJsonObject(0).getString("id");
            assertThat(nextPresence(a).getJsonObject("joined").getString("id")).isEqualTo(aId);

            WsClient b = WsClient.connect("/chat/presence-1");
            b.next(); // welcome
            JsonObject bList = nextPresence(b);
            assertThat(bList.getJsonArray("members").getValuesAs(JsonObject.class))
                    .extracting(m -> m.getString("id")).contains(aId).hasSize(2);
            JsonObject bJoined = nextPresence(a).getJsonObject("joined");
            String bId = bJoined.getString("id");
            assertThat(bId).isNotEqualTo(aId);
            assertThat(bJoined.getString("joinedAt")).isNotBlank();

            JsonObject info = Server.get("/api/groups/chat_presence-1").json();
            assertThat(info.getJsonArray("members").getValuesAs(JsonObject.class))
                    .extracting(m -> m.getString("id")).containsExactly(aId, bId);
            assertThat(info.getJsonObject("history").getInt("lastOffset")).isPositive();
            assertThat(info.getInt("dropped")).isZero();

            b.close();
            assertThat(nextPresence(a).getJsonObject("left").getString("id")).isEqualTo(bId);
        }
        // The last member has left (its close is handled a moment after the client sent it): the group is gone.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(Server.get("/api/groups/chat_presence-1").status()).isEqualTo(404));
    }

    @Test
    void underConcurrentJoinsAndLeavesAnEarlierMemberSeesEachOnceAndTheListIsRight() {
        String room = "presence-2";
        int n = 30;
        try (WsClient watcher = WsClient.connect("/chat/" + room)) {
            watcher.next(); // welcome
            nextPresence(watcher); // member list
            String watcherId = nextPresence(watcher).getJsonObject("joined").getString("id");

            List<CompletableFuture<WsClient>> opening = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                opening.add(WsClient.connectAsync("/chat/" + room, true));
            }
            List<WsClient> others = opening.stream().map(CompletableFuture::join).toList();
            Set<String> joined = new HashSet<>();
            for (int i = 0; i < n; i++) {
                assertThat(joined.add(nextPresence(watcher).getJsonObject("joined").getString("id")))
                        .as("each join seen once").isTrue();
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(Server.get("/api/groups/chat_" + room).json().getJsonArray("members"))
                            .hasSize(n + 1));

            others.parallelStream().forEach(WsClient::close);
            Set<String> left = new HashSet<>();
            for (int i = 0; i < n; i++) {
                JsonObject frame = nextPresence(watcher);
                assertThat(frame.containsKey("left")).as(frame.toString()).isTrue();
                assertThat(left.add(frame.getJsonObject("left").getString("id"))).isTrue();
            }
            assertThat(left).isEqualTo(joined).doesNotContain(watcherId);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                    Server.get("/api/groups/chat_" + room).json().getJsonArray("members"))
                    .extracting(m -> ((JsonObject) m).getString("id")).containsExactly(watcherId));
        }
    }

    @Test
    void anUnknownGroupIs404WithAJsonError() {
        Server.Reply reply = Server.get("/api/groups/no-such-group");
        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.json().getString("error")).contains("no-such-group");
    }
}
