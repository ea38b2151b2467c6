package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.it.probe.LifecycleEndpoint;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What {@code @SwitchboardEndpoint} promises about the application's own lifecycle methods ({@code
 * it.probe.LifecycleEndpoint}): one at a time, {@code @OnClose} then {@code @PreDestroy} once per connection, failures
 * closed or answered without leaking their message, nothing left behind.
 */
class EndpointLifecycleIT extends ModuleTest {

    private static List<String> records(String token) {
        return Server.get("/api/probe/records?id=" + token).json().getJsonArray("records")
                .getValuesAs(JsonString::getString);
    }

    private static int members(String group) {
        return Server.get("/api/probe/members?group=" + group).json().getInt("members");
    }

    private static String token() {
        return UUID.randomUUID().toString();
    }

    @Test
    void closeRunsOnCloseThenPreDestroyOnceAndTheGroupIsLeft() {
        String token = token();
        try (WsClient client = WsClient.connect("/probe/lifecycle/plain?token=" + token)) {
            assertThat(client.send("{\"n\":1}").nextJson().getInt("n")).isEqualTo(1);
            assertThat(members("lifecycle-" + token)).isEqualTo(1);
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(records(token)).containsExactly("open", "open returned", "close 1000", "destroyed");
            assertThat(members("lifecycle-" + token)).isZero();
        });
    }

    @Test
    void aCloseCausedByOnOpenRunsOnCloseOnlyAfterOnOpenHasReturned() {
        String token = token();
        try (WsClient client = WsClient.connect("/probe/lifecycle/open-closes?token=" + token)) {
            assertThat(client.awaitClose().code()).isEqualTo(1000);
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(records(token))
                .containsExactly("open", "open returned", "close 1000", "destroyed"));
    }

    @Test
    void aCloseFromAnotherThreadDuringOnMessageNeitherWaitsForItNorOverlapsIt() {
        String token = token();
        try (WsClient client = WsClient.connect("/probe/lifecycle/plain?token=" + token)) {
            client.send("{\"do\":\"hold\"}");
            await().atMost(Duration.ofSeconds(20)).until(() -> records(token).contains("holding"));
            // From a request thread, while @OnMessage holds: the close must return without waiting for it.
            assertThat(Server.post("/api/probe/close-group?group=lifecycle-" + token, "").json().getInt("closed"))
                    .isEqualTo(1);
            assertThat(records(token)).as("the close returned while @OnMessage still ran").doesNotContain("released");
            assertThat(Server.post("/api/probe/release?token=" + token, "").status()).isEqualTo(200);
            assertThat(client.awaitClose().code()).isEqualTo(1000);
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(records(token))
                .containsExactly("open", "open returned", "holding", "released", "close 1000", "destroyed"));
    }

    @Test
    void twoConnectionsClosingEachOtherFromTheirOnOpenBothEnd() throws Exception {
        for (int round = 0; round < 5; round++) {
            String token = token();
            var first = WsClient.connectAsync("/probe/lifecycle/kick?token=" + token, true);
            var second = WsClient.connectAsync("/probe/lifecycle/kick?token=" + token, true);
            try (WsClient a = first.get(20, java.util.concurrent.TimeUnit.SECONDS);
                    WsClient b = second.get(20, java.util.concurrent.TimeUnit.SECONDS)) {
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(records(token))
                        .as("round %s: every instance destroyed, none stuck", token)
                        .filteredOn("destroyed"::equals).hasSizeGreaterThanOrEqualTo(1));
            }
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(records(token)).filteredOn("destroyed"::equals).hasSize(2);
                assertThat(members("lifecycle-" + token)).isZero();
            });
        }
    }

    @Test
    void anInvalidMessageExceptionFromOnOpenClosesWith1008AndItsMessage() {
        String token = token();
        try (WsClient client = WsClient.connect("/probe/lifecycle/open-invalid?token=" + token)) {
            WsClient.Close close = client.awaitClose();
            assertThat(close.code()).isEqualTo(1008);
            assertThat(close.reason()).isEqualTo("not today");
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(records(token)).endsWith("ConnectionError InvalidMessageException",
                    "error InvalidMessageException", "close 1008", "destroyed");
            assertThat(members("lifecycle-" + token)).isZero();
        });
    }

    @Test
    void anyOtherExceptionOrErrorFromOnOpenClosesWith1011WithoutItsMessage() {
        for (String mode : List.of("open-throws", "open-error")) {
            String token = token();
            try (WsClient client = WsClient.connect("/probe/lifecycle/" + mode + "?token=" + token)) {
                WsClient.Close close = client.awaitClose();
                assertThat(close.code()).as(mode).isEqualTo(1011);
                assertThat(close.reason()).as(mode).isEqualTo("internal error").doesNotContain(LifecycleEndpoint.SECRET);
            }
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                String thrown = mode.equals("open-error") ? "AssertionError" : "IllegalStateException";
                assertThat(records(token)).as(mode).containsExactly("open", "open returned",
                        "ConnectionError " + thrown, "error " + thrown, "close 1011", "destroyed");
                assertThat(members("lifecycle-" + token)).as(mode + ": the group is left").isZero();
            });
        }
    }

    @Test
    void onMessageFailuresAreAnsweredAndTheConnectionStays() {
        String token = token();
        try (WsClient client = WsClient.connect("/probe/lifecycle/plain?token=" + token)) {
            JsonObject hidden = client.send("{\"do\":\"boom\"}").nextJson();
            assertThat(hidden.getString("error")).isEqualTo("internal error");
            assertThat(hidden.toString()).doesNotContain(LifecycleEndpoint.SECRET);
            assertThat(client.send("{\"do\":\"invalid\"}").nextJson().getString("error")).isEqualTo("say why");
            assertThat(client.send("{\"n\":2}").nextJson().getInt("n")).as("still open").isEqualTo(2);
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(records(token))
                .containsExactly("open", "open returned", "ConnectionError IllegalStateException",
                        "error IllegalStateException", "ConnectionError InvalidMessageException",
                        "error InvalidMessageException", "close 1000", "destroyed"));
    }
}
