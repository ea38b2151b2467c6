package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Every statement of {@code @Once}'s javadoc, on the real server. */
class OnceIT extends ModuleTest {

    @Test
    void firedFrom64ThreadsAtOnceTheBodyRunsExactlyOnceAndNoCallerWaitsForIt() {
        JsonObject result = Server.post("/api/probe/once/race?threads=64", "").json();
        assertThat(result.getInt("runs")).isEqualTo(1);
        assertThat(result.getBoolean("sawOthersReturn")).as("63 callers returned while the body still ran").isTrue();
        // later calls are skipped as well
        assertThat(Server.post("/api/probe/once/race?threads=8", "").json().getInt("runs")).isEqualTo(1);
    }

    @Test
    void theCountIsSharedByEveryInstanceOfADependentBean() {
        JsonObject result = Server.post("/api/probe/once/dependent", "").json();
        assertThat(result.getBoolean("distinct")).isTrue();
        assertThat(result.getInt("runs")).isEqualTo(1);
    }

    @Test
    void aCallThatThrowsDoesNotCountSoTheNextOneRunsAndLaterOnesAreSkipped() {
        JsonObject result = Server.post("/api/probe/once/flaky", "").json();
        assertThat(result.getJsonArray("results").toString()).isEqualTo("[\"threw: first attempt fails\",2,0]");
        assertThat(result.getInt("runs")).isEqualTo(2);
    }

    @Test
    void perConnectionWithoutAConnectionParameterFailsNamingTheMethod() {
        assertThat(Server.post("/api/probe/once/misplaced", "").json().getString("error"))
                .contains("OnceProbes$Misplaced.noConnection").contains("Connection or ConnectionEvent");
    }

    /** {@code @Once(per = CONNECTION)} that reaches the observer through a stereotype on its bean's class. */
    @Test
    void perConnectionThroughAStereotypeRunsOncePerConnection() {
        twoConnectionsEachGetOneVisit("stereotype");
    }

    /** {@code @Once(per = CONNECTION)} on a bean's class, whose observer method is declared by its superclass. */
    @Test
    void perConnectionOnTheBeanOfAnInheritedObserverRunsOncePerConnection() {
        twoConnectionsEachGetOneVisit("inherited");
    }

    // Per application, only the connection that came first would be answered.
    private static void twoConnectionsEachGetOneVisit(String kind) {
        String visit = "{\"visit\":\"" + kind + "\"}";
        try (WsClient first = WsClient.connect("/probe/once"); WsClient second = WsClient.connect("/probe/once")) {
            for (WsClient client : List.of(first, second)) {
                client.send("{\"n\":1,\"visit\":\"" + kind + "\"}").send("{\"n\":2,\"visit\":\"" + kind + "\"}");
            }
            for (WsClient client : List.of(first, second)) {
                List<String> frames = new ArrayList<>();
                String frame;
                do {
                    frame = client.next();
                    frames.add(frame);
                } while (!frame.equals("{\"ack\":2}"));
                assertThat(frames).containsExactly("{\"once\":true}", visit, "{\"ack\":1}", "{\"ack\":2}");
            }
        }
    }

    @Test
    void perConnectionRunsOncePerConnectionOver200ConnectionsAndForgetsThemWhenTheyClose() {
        int n = 200;
        List<CompletableFuture<WsClient>> opening = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            opening.add(WsClient.connectAsync("/probe/once", true));
        }
        List<WsClient> clients = opening.stream().map(CompletableFuture::join).toList();
        try {
            for (WsClient client : clients) {
                client.send("{\"n\":1}").send("{\"n\":2}").send("{\"n\":3}");
            }
            for (WsClient client : clients) {
                assertThat(client.nextJson(4)).extracting(Object::toString)
                        .containsExactly("{\"once\":true}", "{\"ack\":1}", "{\"ack\":2}", "{\"ack\":3}");
            }
            assertThat(Server.get("/api/probe/state").json().getInt("onceConnectionScopes")).isGreaterThanOrEqualTo(n);
        } finally {
            clients.forEach(WsClient::close);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonObject state = Server.get("/api/probe/state").json();
            assertThat(state.getInt("onceConnectionScopes")).isZero();
            assertThat(state.getInt("connections")).isZero();
        });
    }
}
