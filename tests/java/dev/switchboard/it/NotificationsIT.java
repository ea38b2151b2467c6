package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The reference's "reacting to events": POST /api/notifications pushed to ws://…/notifications. */
@ExtendWith(ArquillianExtension.class)
class NotificationsIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.app();
    }

    @Test
    void aPostedNotificationReachesEverySubscriberAndTheReplyCountsThem() {
        List<WsClient> subscribers = List.of(WsClient.connect("/notifications"), WsClient.connect("/notifications"),
                WsClient.connect("/notifications"));
        try {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> Server.get("/api/groups").json().getInt("notifications", 0) == 3);
            Server.Reply reply = Server.post("/api/notifications", "{\"title\":\"Build passed\",\"id\":7}");
            assertThat(reply.status()).isEqualTo(202);
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
}
