package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * More clients than there are senders stop reading and are closed at once as slow consumers. Liberty keeps each of
 * their blocked writes for seconds after the close (it waits for the write, then for the close frame), so the sender
 * threads stay stuck: the pool must keep counting them as stalled, or nobody else on the server gets a frame.
 */
class StarvationIT extends ModuleTest {

    private static final int STALLED = 6; // more than switchboard.outbox.senders (4)
    private static final Duration PROMPT = Duration.ofSeconds(2);

    @Test
    void whenStalledClientsAreClosedTheirStuckWritesKeepTheirSendersAndOthersAreServedAtOnce() {
        Server.post("/api/probe/policy?prefix=starve-&overflow=CLOSE&history=0", "");
        List<WsClient> stalled = new ArrayList<>();
        WsClient healthy = WsClient.connect("/probe/member/elsewhere");
        try {
            for (int i = 0; i < STALLED; i++) {
                stalled.add(WsClient.connectAsync("/probe/member/starve-room", false).join());
            }
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> Server.get("/api/probe/members?group=starve-room").json().getInt("members") == STALLED);
            Stalls.fill("starve-room", STALLED);
            // Overflow every outbox (256 KB) at once: all closed with 1013 while their writes stay stuck in Liberty.
            Server.post("/api/probe/send-async?group=starve-room&from=0&count=4&size=" + (128 * 1024), "");
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> Server.get("/api/probe/members?group=starve-room").json().getInt("members") == 0);
            for (int seq = 0; seq < 20; seq++) {
                Server.post("/api/probe/send-async?group=elsewhere&from=" + seq + "&count=1&size=10", "");
                assertThat(WsClient.parse(healthy.next(PROMPT)).getInt("seq")).isEqualTo(seq);
            }
            assertThat(Stalls.stalledWrites()).as("the gauge still shows the stuck writes").isPositive();
        } finally {
            healthy.close();
            stalled.forEach(WsClient::abort);
        }
    }
}
