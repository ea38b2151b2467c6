package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A room of 1,000 members, 10 of which never read: the others get every message promptly, the 10 are closed as slow
 * consumers under the default policy (CLOSE), and it is counted. The writes to the stalled members block senders,
 * and stay blocked inside Liberty for seconds after Switchboard closed them (Liberty waits for the write, then for the
 * close frame): the pool keeps a sender added for each, so the room goes on being served right after the closes.
 */
class BusyRoomIT extends DeployedAppTest {

    private static final int MEMBERS = 1_000;
    private static final int STALLED = 10;
    private static final int MESSAGES = 100;
    private static final int BATCH = 20;
    private static final int SIZE = 4 * 1024;
    /** Less than the test server's send timeout (3 s), and far less than Liberty's ~11 s hold of a closed write. */
    private static final Duration PROMPT = Duration.ofSeconds(2);

    @Test
    void healthyMembersGetEverythingWhileStalledOnesAreClosedAndCounted() {
        String group = "busy-room";
        long slowClosedBefore = Server.get("/api/stats").json().getJsonNumber("slowClosed").longValue();
        List<CompletableFuture<WsClient>> opening = new ArrayList<>();
        for (int i = 0; i < MEMBERS; i++) {
            boolean stalled = i < STALLED;
            String path = "/probe/member/" + group + (stalled ? "?also=busy-stall" : "");
            opening.add(WsClient.connectAsync(path, !stalled));
        }
        List<WsClient> all = opening.stream().map(CompletableFuture::join).toList();
        List<WsClient> healthy = all.subList(STALLED, MEMBERS);
        try {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> Server.get("/api/groups").json().getInt(group, 0) == MEMBERS);
            // Fill the stalled members' socket buffers (loopback takes megabytes) through a group only they are in,
            // as hours of a busy room would: from here on the room's messages pile up in their outboxes.
            Server.post("/api/probe/send?group=busy-stall&from=0&count=80&size=" + (128 * 1024), "");
            for (int from = 0; from < MESSAGES; from += BATCH) {
                Server.Reply reply = Server.post("/api/probe/send?group=" + group + "&from=" + from + "&count=" + BATCH
                        + "&size=" + SIZE, "");
                assertThat(reply.status()).isEqualTo(200);
                for (WsClient client : healthy) { // the next batch goes only when every healthy member has this one
                    for (int seq = from; seq < from + BATCH; seq++) {
                        JsonObject frame = WsClient.parse(client.next(PROMPT));
                        assertThat(frame.getInt("seq")).isEqualTo(seq);
                    }
                }
            }
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonObject info = Server.get("/api/groups/" + group).json();
                assertThat(info.getInt("slowClosed")).as("stalled members closed").isEqualTo(STALLED);
                assertThat(info.getJsonArray("members")).hasSize(MEMBERS - STALLED);
            });
            // what the stalled members did not get was counted (in whichever group overflowed first)
            JsonObject stats = Server.get("/api/stats").json();
            assertThat(stats.getJsonNumber("slowClosed").longValue() - slowClosedBefore)
                    .as("each stalled connection counted once, although it was in two groups").isEqualTo(STALLED);
            assertThat(stats.getJsonNumber("dropped").longValue()).isPositive();
            // Right after the closes, while Liberty still holds the 10 writes: the room is served at once.
            Server.Reply after = Server.post("/api/probe/send?group=" + group + "&from=" + MESSAGES + "&count=" + BATCH
                    + "&size=" + SIZE, "");
            assertThat(after.status()).isEqualTo(200);
            for (WsClient client : healthy) {
                for (int seq = MESSAGES; seq < MESSAGES + BATCH; seq++) {
                    assertThat(WsClient.parse(client.next(PROMPT)).getInt("seq")).isEqualTo(seq);
                }
            }
        } finally {
            all.parallelStream().forEach(WsClient::close);
        }
    }
}
