package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The consumer application (tests/consumer: the README's "Use it in your application"), built against the module's jar
 * and deployed on its own: open, join, send, resume, close.
 */
@ExtendWith(ArquillianExtension.class)
class ConsumerIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.consumer();
    }

    private static double metric(String name) {
        Matcher m = Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*\\})? (\\S+)$", Pattern.MULTILINE)
                .matcher(Server.get("/metrics?scope=application").body());
        assertThat(m.find()).as(name).isTrue();
        return Double.parseDouble(m.group(2));
    }

    private static WsClient open(String query) {
        WsClient client = WsClient.connect("/consumer/rooms/lobby" + query);
        JsonObject welcome = client.nextJson();
        assertThat(welcome.getString("type")).isEqualTo("welcome");
        return client;
    }

    @Test
    void opensJoinsSendsResumesAndCloses() {
        try (WsClient alice = open("")) {
            long lastSeen;
            String epoch;
            try (WsClient bob = open("")) {
                alice.send("{\"text\":\"one\"}");
                JsonObject atBob = bob.nextJson();
                assertThat(atBob.getString("text")).isEqualTo("one");
                assertThat(alice.nextJson()).isEqualTo(atBob);
                lastSeen = atBob.getJsonNumber("offset").longValue();
                epoch = atBob.getString("epoch");
            }
            // Bob is away; the room lives on with Alice in it, and keeps its history.
            alice.send("{\"text\":\"two\"}").send("{\"text\":\"three\"}");
            assertThat(alice.nextJson(2)).extracting(m -> m.getString("text")).containsExactly("two", "three");
            try (WsClient bob = open("?since=" + lastSeen + "&epoch=" + epoch)) {
                List<JsonObject> missed = bob.nextJson(2);
                assertThat(missed).extracting(m -> m.getString("text")).containsExactly("two", "three");
                assertThat(missed).extracting(m -> m.getJsonNumber("offset").longValue())
                        .containsExactly(lastSeen + 1, lastSeen + 2);
                JsonObject next = bob.send("{\"text\":\"four\"}").nextJson();
                assertThat(next.getString("text")).as("nothing twice, then the live stream").isEqualTo("four");
                assertThat(next.getJsonNumber("offset").longValue()).isEqualTo(lastSeen + 3);
            }
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(metric("switchboard_connections")).as("connections").isZero();
            assertThat(metric("switchboard_groups")).as("the room is gone with its last member").isZero();
        });
    }
}
