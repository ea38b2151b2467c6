package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.connections.Connections;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * Joined frames on a real Liberty (subprotocol {@code switchboard.batch}): a client that asks gets several messages per
 * frame, one per line, each once and in order; a client in the same room that does not ask gets one per frame.
 */
class BatchingIT extends DeployedAppTest {

    private static final int MESSAGES = 2_000;

    @Test
    void aClientThatAsksGetsEveryMessageOnceInOrderInJoinedFramesBesideOneThatGetsAFramePerMessage() {
        String room = "joined";
        WsClient plain = WsClient.joinRoom(room);
        WsClient batched = WsClient.connectBatched("/chat/" + room);
        try {
            assertThat(batched.subprotocol()).isEqualTo(Connections.BATCH_SUBPROTOCOL);
            assertThat(plain.subprotocol()).isEmpty();
            assertThat(batched.nextJson().getString("type")).isEqualTo("welcome");
            assertThat(batched.nextJson().containsKey("members")).isTrue(); // it is in the room now

            int framesBefore = batched.textFrames();
            // One publisher queues them as fast as it can: the senders find many waiting for each connection.
            assertThat(Server.post("/api/probe/send-async?group=chat_" + room + "&from=0&count=" + MESSAGES
                    + "&size=100", "").status()).isEqualTo(200);
            for (int seq = 0; seq < MESSAGES; seq++) {
                expect(batched, seq);
                expect(plain, seq);
            }
            int batchedFrames = batched.textFrames() - framesBefore;
            assertThat(batched.joinedFrames()).as("frames that held more than one message").isPositive();
            assertThat(batchedFrames).as("frames for " + MESSAGES + " messages").isLessThan(MESSAGES);
            assertThat(plain.joinedFrames()).isZero();
            assertThat(batched.poll()).as("nothing more, nothing twice").isNull();
        } finally {
            plain.close();
            batched.close();
        }
    }

    private static void expect(WsClient client, int seq) {
        JsonObject frame = client.nextJson();
        assertThat(frame.containsKey("seq") ? frame.getInt("seq") : -1).as("message in order: " + frame).isEqualTo(seq);
    }
}
