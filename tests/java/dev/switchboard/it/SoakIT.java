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
 * 10,000 connections opened and closed, a quarter of them aborted without a close frame: the registry, the groups and
 * the {@code @Once} state end empty, and the heap ends where it started, give or take what Liberty itself keeps.
 *
 * <p>Liberty creates an HTTP session for every WebSocket upgrade and keeps it until its invalidation timeout (30
 * minutes by default), whoever the endpoint is. So the same 10,000 connections are first made to a bare endpoint
 * that keeps nothing, and Switchboard's growth may exceed Liberty's own by at most 10% of the starting heap.
 */
class SoakIT extends DeployedAppTest {

    private static final int CONNECTIONS = 10_000;
    private static final int AT_ONCE = 250;
    private static final int ROOMS = 25;

    private static long heap() {
        return Server.get("/api/probe/heap").json().getJsonNumber("used").longValue();
    }

    private static void cycle(int from, int count, boolean bare) {
        List<CompletableFuture<WsClient>> opening = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            opening.add(WsClient.connectAsync(bare ? "/probe/bare" : "/chat/soak-" + (i % ROOMS), true, false));
        }
        List<WsClient> batch = opening.stream().map(CompletableFuture::join).toList();
        for (int i = 0; i < batch.size(); i++) {
            WsClient client = batch.get(i);
            if (!bare) {
                assertThat(client.nextJson().getString("type")).isEqualTo("welcome"); // its per-connection @Once ran
            }
            if ((from + i) % 4 == 0) {
                client.abort();
            } else {
                client.close();
            }
        }
    }

    private static void awaitEmpty() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonObject state = Server.get("/api/probe/state").json();
            assertThat(state.getInt("connections")).isZero();
            assertThat(state.getInt("onceConnectionScopes")).isZero();
            assertThat(Server.get("/api/groups").json()).isEmpty();
        });
    }

    @Test
    void tenThousandConnectionsComingAndGoingLeaveNothingBehind() {
        cycle(0, 2 * AT_ONCE, false); // warm up: classes loaded, pools grown, before the baseline
        cycle(0, 2 * AT_ONCE, true);
        awaitEmpty();
        long start = heap();
        for (int from = 0; from < CONNECTIONS; from += AT_ONCE) {
            cycle(from, AT_ONCE, true);
        }
        long afterBare = heap();
        for (int from = 0; from < CONNECTIONS; from += AT_ONCE) {
            cycle(from, AT_ONCE, false);
        }
        awaitEmpty();
        long afterSwitchboard = heap();
        long liberty = afterBare - start;
        long switchboard = afterSwitchboard - afterBare;
        assertThat((double) switchboard).as("heap growth after GC: Liberty alone %d bytes, with Switchboard %d; start %d",
                liberty, switchboard, start).isLessThanOrEqualTo(Math.max(0, liberty) + start * 0.10);
    }
}
