package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A member that never reads does not hold back the others: each of their frames arrives within {@link #PROMPT}, less
 * than the test server's send timeout (3 s), so a design where everyone waits for the stalled write to time out fails.
 */
class SlowConsumerIT extends DeployedAppTest {

    @Test
    void aClientThatNeverReadsDoesNotStopOthersFromGetting1000MessagesOf16Kb() {
        String room = "slow";
        int messages = 1_000;
        int window = 8; // the publisher stays at most this far ahead of the healthy readers (8 x 16 KB < the bound)
        String filler = "x".repeat(16 * 1024);
        WsClient stalled = WsClient.connectNotReading("/chat/" + room);
        List<WsClient> healthy = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                healthy.add(WsClient.joinRoom(room));
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

    private static final java.time.Duration PROMPT = java.time.Duration.ofSeconds(2);

    private static void expect(WsClient client, int seq) {
        JsonObject frame = WsClient.parse(client.next(PROMPT));
        assertThat(frame.getJsonObject("message").getInt("seq")).isEqualTo(seq);
    }
}
