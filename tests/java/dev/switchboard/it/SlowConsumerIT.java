package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A member that never reads does not hold back the others. */
@ExtendWith(ArquillianExtension.class)
class SlowConsumerIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.app();
    }

    @Test
    void aClientThatNeverReadsDoesNotStopOthersFromGetting1000MessagesOf16Kb() {
        String room = "slow";
        int messages = 1_000;
        int window = 32; // the publisher stays at most this far ahead of the healthy readers
        String filler = "x".repeat(16 * 1024);
        WsClient stalled = WsClient.connectNotReading("/chat/" + room);
        List<WsClient> healthy = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                WsClient client = WsClient.connect("/chat/" + room);
                client.next(); // welcome
                healthy.add(client);
            }
            WsClient publisher = healthy.get(0);
            int[] received = new int[healthy.size()];
            for (int k = 0; k < messages; k++) {
                publisher.send("{\"seq\":" + k + ",\"fill\":\"" + filler + "\"}");
                if (k >= window) {
                    for (int c = 0; c < healthy.size(); c++) {
                        expect(healthy.get(c), received[c]++);
                    }
                }
            }
            for (int c = 0; c < healthy.size(); c++) {
                while (received[c] < messages) {
                    expect(healthy.get(c), received[c]++);
                }
            }
            // 16 MB went to each healthy member while one member read nothing: more than any socket buffer holds
            assertThat(received).containsOnly(messages);
        } finally {
            healthy.forEach(WsClient::close);
            stalled.close();
        }
    }

    private static void expect(WsClient client, int seq) {
        JsonObject frame = client.nextJson();
        assertThat(frame.getJsonObject("message").getInt("seq")).isEqualTo(seq);
    }
}
