package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** MicroProfile Metrics ({@code /metrics}) and Health ({@code /health/ready}, {@code /health/live}) on a real Liberty. */
class MonitoringIT extends ModuleTest {

    /** @return the value of {@code name} in the Prometheus text of {@code GET /metrics?scope=application} */
    private static Optional<Double> metric(String name) {
        Server.Reply reply = Server.get("/metrics?scope=application", null);
        assertThat(reply.status()).isEqualTo(200);
        Matcher m = Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*\\})? (\\S+)$", Pattern.MULTILINE)
                .matcher(reply.body());
        if (m.find()) {
            return Optional.of(Double.parseDouble(m.group(2)));
        }
        System.out.println("no " + name + " in GET /metrics?scope=application:\n" + reply.body());
        return Optional.empty();
    }

    private static JsonObject check(JsonObject health, String name) {
        return health.getJsonArray("checks").stream().map(JsonValue::asJsonObject)
                .filter(c -> c.getString("name").equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no check " + name + " in " + health));
    }

    @Test
    void gaugesFollowConnectionsGroupsAndSenders() {
        double before = metric("switchboard_connections").orElseThrow();
        List<WsClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                clients.add(WsClient.connect("/probe/member/monitored"));
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(metric("switchboard_connections").orElseThrow()).isGreaterThanOrEqualTo(before + 5);
                assertThat(metric("switchboard_groups").orElseThrow()).isGreaterThanOrEqualTo(1);
            });
            assertThat(metric("switchboard_senders").orElseThrow()).isGreaterThanOrEqualTo(4);
            assertThat(metric("switchboard_senders_stalled")).isPresent();
            assertThat(metric("switchboard_messages_dropped")).isPresent();
            assertThat(metric("switchboard_connections_slow_closed")).isPresent();
        } finally {
            clients.forEach(WsClient::close);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                metric("switchboard_connections").orElseThrow()).isLessThanOrEqualTo(before));
    }

    @Test
    void readyAndLiveWithTheSendersAsData() {
        try (WsClient client = WsClient.connect("/probe/member/health-room")) {
            // The handshake's answer can reach the client before the endpoint's @OnOpen has registered it.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Server.Reply ready = Server.get("/health/ready", null);
                assertThat(ready.status()).isEqualTo(200);
                assertThat(ready.json().getString("status")).isEqualTo("UP");
                JsonObject readiness = check(ready.json(), "switchboard");
                assertThat(readiness.getString("status")).isEqualTo("UP");
                assertThat(readiness.getJsonObject("data").getInt("connections")).isGreaterThanOrEqualTo(1);
            });

            Server.Reply live = Server.get("/health/live", null);
            assertThat(live.status()).isEqualTo(200);
            JsonObject senders = check(live.json(), "switchboard-senders");
            assertThat(senders.getString("status")).isEqualTo("UP");
            assertThat(senders.getJsonObject("data").getInt("senders")).isGreaterThanOrEqualTo(4);
            assertThat(senders.getJsonObject("data").getInt("stalled")).isZero();
        }
    }
}
