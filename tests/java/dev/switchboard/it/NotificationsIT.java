package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reference's "reacting to events": POST /api/notifications pushed to ws://…/notifications. */
class NotificationsIT extends DeployedAppTest {

    @Test
    void aPostedNotificationReachesEverySubscriberAndTheReplyCountsThem() {
        List<WsClient> subscribers = List.of(WsClient.connect("/notifications"), WsClient.connect("/notifications"),
                WsClient.connect("/notifications"));
        try {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> Server.get("/api/groups").json().getInt("notifications", 0) == 3);
            Server.Reply reply = Server.post("/api/notifications", "{\"title\":\"Build passed\",\"id\":7}");
            assertThat(reply.status()).isEqualTo(202);
            assertThat(reply.json().getBoolean("committed")).isTrue();
            assertThat(reply.json().getInt("delivered")).isEqualTo(3);
            for (WsClient subscriber : subscribers) {
                assertThat(subscriber.nextJson()).isEqualTo(WsClient.parse("{\"title\":\"Build passed\",\"id\":7}"));
            }
        } finally {
            subscribers.forEach(WsClient::close);
        }
    }

    @Test
    void aBodyThatIsNotAJsonObjectIs400WithAJsonError() {
        Server.Reply array = Server.post("/api/notifications", "[1,2]");
        assertThat(array.status()).isEqualTo(400);
        assertThat(array.json().getString("error")).contains("JSON object").contains("array");

        Server.Reply broken = Server.post("/api/notifications", "{\"title\":");
        assertThat(broken.status()).isEqualTo(400);
        assertThat(broken.json().getString("error")).contains("not valid JSON");

        Server.Reply empty = Server.post("/api/notifications", "");
        assertThat(empty.status()).isEqualTo(400);
    }

    @Test
    void aNotificationWhoseTransactionRollsBackIsNeverPushed() {
        try (WsClient subscriber = WsClient.connect("/notifications")) {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> Server.get("/api/groups").json().getInt("notifications", 0) >= 1);
            Server.Reply rolledBack = Server.post("/api/notifications?rollback=true", "{\"n\":\"rolled back\"}");
            assertThat(rolledBack.status()).isEqualTo(202);
            assertThat(rolledBack.json().getBoolean("committed")).isFalse();
            assertThat(rolledBack.json().getInt("delivered")).isZero();

            Server.Reply committed = Server.post("/api/notifications", "{\"n\":\"committed\"}");
            assertThat(committed.json().getBoolean("committed")).isTrue();
            // the subscriber's next frame is the committed one: the rolled-back one never came
            assertThat(subscriber.nextJson().getString("n")).isEqualTo("committed");
        }
    }
}
