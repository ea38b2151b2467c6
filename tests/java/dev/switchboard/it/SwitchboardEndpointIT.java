package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An endpoint that declares only {@code @OnMessage} and carries {@code @SwitchboardEndpoint} ({@code
 * it.probe.OnlyMessageEndpoint}) still gets everything the four-callback form had to wire by hand.
 */
class SwitchboardEndpointIT extends ModuleTest {

    private static int members(String group) {
        return Server.get("/api/probe/members?group=" + group).json().getInt("members");
    }

    private static JsonObject records(String id) {
        return WsClient.parse(Server.get("/api/probe/records?id=" + id).body());
    }

    @Test
    void itIsInjectedFiresOpenedAndClosedAndLeavesItsGroupsOnClose() {
        String id;
        try (WsClient client = WsClient.connect("/probe/only-message")) {
            JsonObject reply = client.send("{\"join\":\"only-message-room\"}").nextJson();
            id = reply.getString("id"); // @Inject Groups worked, without a bean-defining annotation
            assertThat(reply.getJsonObject("echo").getString("join")).isEqualTo("only-message-room");
            assertThat(members("only-message-room")).isEqualTo(1);
            assertThat(records(id).getJsonArray("records").getString(0)).isEqualTo("opened");
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(members("only-message-room")).as("the group is gone").isZero();
            assertThat(records(id).getJsonArray("records").getValuesAs(jakarta.json.JsonString::getString))
                    .containsExactly("opened", "closed 1000");
        });
    }

    @Test
    void aFrameThatIsNotJsonGetsAnErrorFrameAndNeverReachesTheMethod() {
        try (WsClient client = WsClient.connect("/probe/only-message")) {
            JsonObject error = client.send("hello").nextJson();
            assertThat(error.getString("type")).isEqualTo("error");
            JsonObject echo = client.send("{\"n\":1}").nextJson();
            assertThat(echo.getJsonObject("echo").getInt("n")).as("the next frame is the echo, not an echo of hello")
                    .isEqualTo(1);
            assertThat(records(echo.getString("id")).getJsonArray("records").getValuesAs(
                    jakarta.json.JsonString::getString)).containsExactly("opened", "error");
        }
    }

    @Test
    void aFrameOverTheSizeLimitClosesWith1009() {
        try (WsClient client = WsClient.connect("/probe/only-message")) {
            client.send("{\"big\":\"" + "x".repeat(70_000) + "\"}");
            assertThat(client.awaitClose().code()).isEqualTo(1009);
        }
    }

    @Test
    void theHandshakeGuardRefusesAForeignOrigin() throws Exception {
        try (RawWebSocket ws = RawWebSocket.connect("/probe/only-message", Map.of("Origin", "http://evil.example"))) {
            assertThat(ws.status).isEqualTo(403);
        }
        try (RawWebSocket ws = RawWebSocket.connect("/probe/only-message", Map.of("Origin", "http://localhost:9080"))) {
            assertThat(ws.status).isEqualTo(101);
        }
    }
}
