package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.json.JsonString;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Namespaces, priorities, async observers and observer failures, seen through the probe observers. */
class EventsIT extends ModuleTest {

    private static List<String> emit(String query) {
        String id = UUID.randomUUID().toString();
        Server.Reply reply = Server.post("/api/probe/emit?id=" + id + query, "");
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json().getJsonArray("records").getValuesAs(JsonString.class).stream()
                .map(JsonString::getString).toList();
    }

    @Test
    void anObserverWithANamespaceSeesOnlyThatNamespaceAndOneWithoutSeesAll() {
        assertThat(emit("&ns=alpha")).containsExactly("alpha@10", "alpha@20", "any");
        assertThat(emit("&ns=beta")).containsExactlyInAnyOrder("beta", "any");
        assertThat(emit("&ns=gamma")).containsExactly("any");
        assertThat(emit("")).containsExactly("any");
    }

    @Test
    void syncObserversRunInPriorityOrder() {
        assertThat(emit("&ns=alpha")).containsExactly("alpha@10", "alpha@20", "any");
    }

    @Test
    void asyncObserversRunOnTheManagedExecutorAndTheStageCompletesAfterThem() {
        assertThat(emit("&ns=alpha&async=true")).containsExactlyInAnyOrder("async:managed", "async2");
    }

    @Test
    void aThrowingSyncObserverIsLoggedAndFiredAsObserverFailedNotThrownToTheCaller() {
        List<String> records = emit("&ns=alpha&fail=true");
        // CDI stops a sync notification at the first exception; the failure is reported in the same namespace
        assertThat(records).hasSize(2).first().isEqualTo("alpha@10");
        assertThat(records.get(1)).startsWith("failed:alpha:sync boom ");
        String id = records.get(1).substring("failed:alpha:sync boom ".length());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Server.log())
                .contains("java.lang.IllegalStateException: sync boom " + id)
                .contains("at dev.switchboard.it.probe.PingObservers.alphaEarly"));
    }

    @Test
    void everyThrowingAsyncObserverIsReported() {
        assertThat(emit("&ns=alpha&async=true&fail=true"))
                .contains("async:managed", "async2")
                .anySatisfy(r -> assertThat(r).startsWith("failed:alpha:async boom "))
                .anySatisfy(r -> assertThat(r).startsWith("failed:alpha:async2 boom "));
    }

    @Test
    void aThrowingErrorObserverIsLoggedOnlySoItCannotLoop() {
        String id = UUID.randomUUID().toString();
        Server.Reply reply = Server.post("/api/probe/loop?id=" + id, "");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().getJsonArray("records").getValuesAs(JsonString.class))
                .extracting(JsonString::getString).containsExactly("error-observer-ran");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Server.log())
                .contains("the error observer fails too"));
    }

    @Test
    void anObserverThatThrowsOnAMessageLeavesTheConnectionOpenAndUsable() {
        try (WsClient client = WsClient.connect("/probe/once")) {
            client.send("{\"n\":1,\"boom\":true}");
            assertThat(client.nextJson().getBoolean("once")).isTrue();
            assertThat(client.nextJson().getInt("ack")).isEqualTo(1);
            client.send("{\"n\":2}");
            assertThat(client.nextJson().getInt("ack")).isEqualTo(2);
            assertThat(client.isClosed()).isFalse();
        }
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(Server.log()).contains("IllegalStateException: observer boom on"));
    }
}
