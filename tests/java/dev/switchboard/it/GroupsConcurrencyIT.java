package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A room of 50 steady members while others join and leave it from many threads, and several publishers send. */
class GroupsConcurrencyIT extends DeployedAppTest {

    @Test
    void steadyMembersGetEveryMessageExactlyOnceInOrderWhileOthersJoinAndLeave() throws Exception {
        String room = "busy";
        int steady = 50;
        int publishers = 4;
        int perPublisher = 100;
        List<CompletableFuture<WsClient>> opening = new ArrayList<>();
        for (int i = 0; i < steady; i++) {
            opening.add(WsClient.connectAsync("/chat/" + room, true, false));
        }
        List<WsClient> members = opening.stream().map(CompletableFuture::join).toList();
        members.forEach(m -> {
            assertThat(m.nextJson().getString("type")).isEqualTo("welcome");
            assertThat(m.nextJson().containsKey("members")).as("member list: joined").isTrue();
        });

        AtomicBoolean publishing = new AtomicBoolean(true);
        AtomicInteger churned = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(publishers + 4);
        List<Future<?>> churners = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            churners.add(pool.submit(() -> {
                while (publishing.get()) { // join, maybe send, leave: abruptly every other time
                    WsClient c = WsClient.connect("/chat/" + room);
                    if (churned.incrementAndGet() % 2 == 0) {
                        c.abort();
                    } else {
                        c.close();
                    }
                }
                return null;
            }));
        }
        List<Future<?>> senders = new ArrayList<>();
        for (int p = 0; p < publishers; p++) {
            WsClient publisher = members.get(p);
            int from = p;
            senders.add(pool.submit(() -> {
                for (int k = 0; k < perPublisher; k++) {
                    publisher.send("{\"from\":" + from + ",\"seq\":" + k + "}");
                }
                return null;
            }));
        }
        for (Future<?> sender : senders) {
            sender.get(60, TimeUnit.SECONDS);
        }
        try {
            for (WsClient member : members) {
                int[] next = new int[publishers];
                for (JsonObject frame : member.nextJson(publishers * perPublisher)) {
                    JsonObject message = frame.getJsonObject("message");
                    int from = message.getInt("from");
                    assertThat(message.getInt("seq")).as("publisher %d, in order, none missed or twice", from)
                            .isEqualTo(next[from]++);
                }
                assertThat(next).containsOnly(perPublisher);
            }
        } finally {
            publishing.set(false);
            for (Future<?> churner : churners) {
                churner.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            members.forEach(WsClient::close);
        }
        assertThat(churned.get()).as("connections that joined and left during the sends").isGreaterThan(10);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> !Server.get("/api/groups").json().containsKey("chat_" + room));
    }
}
