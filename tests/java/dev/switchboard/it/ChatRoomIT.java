package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The reference's complete chat application: {@code ws://localhost:9080/chat/{room}}. */
class ChatRoomIT extends DeployedAppTest {

    private static WsClient join(String room) {
        return WsClient.joinRoom(room); // checks that the welcome is the first frame
    }

    @Test
    void welcomeIsTheFirstFrameOfEveryConnection() {
        try (WsClient a = join("welcome"); WsClient b = join("welcome")) {
            b.send("{\"text\":\"hi\"}");
            assertThat(a.nextJson().getJsonObject("message").getString("text")).isEqualTo("hi");
        }
    }

    @Test
    void everyMemberIncludingTheSenderGetsEachMessageOnceInSendOrder() {
        int members = 4;
        int perSender = 25;
        List<WsClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < members; i++) {
                clients.add(join("order"));
            }
            for (int k = 0; k < perSender; k++) {
                for (int i = 0; i < members; i++) {
                    clients.get(i).send("{\"from\":" + i + ",\"seq\":" + k + "}");
                }
            }
            for (WsClient client : clients) {
                Map<Integer, Integer> lastSeq = new HashMap<>();
                long lastOffset = 0;
                for (JsonObject frame : client.nextJson(members * perSender)) {
                    assertThat(frame.getString("room")).isEqualTo("order");
                    assertThat(frame.getJsonNumber("offset").longValue()).isGreaterThan(lastOffset);
                    lastOffset = frame.getJsonNumber("offset").longValue();
                    JsonObject message = frame.getJsonObject("message");
                    int from = message.getInt("from");
                    int seq = message.getInt("seq");
                    assertThat(seq).as("sender %d's messages in order, none twice", from)
                            .isEqualTo(lastSeq.getOrDefault(from, -1) + 1);
                    lastSeq.put(from, seq);
                }
                assertThat(lastSeq).hasSize(members).allSatisfy((from, seq) -> assertThat(seq).isEqualTo(perSender - 1));
            }
        } finally {
            clients.forEach(WsClient::close);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"{bad", "[1,2]", "\"text\"", "42", "null", " "})
    void aFrameThatIsNotAJsonObjectGetsAnErrorToItsSenderOnly(String frame) {
        try (WsClient sender = join("malformed"); WsClient other = join("malformed")) {
            sender.send(frame);
            JsonObject error = sender.nextJson();
            assertThat(error.getString("type")).isEqualTo("error");
            assertThat(error.getString("error")).isNotBlank();
            // still open and usable; the other member's next frame is the valid message, not the error
            sender.send("{\"ok\":true}");
            assertThat(sender.nextJson().getJsonObject("message").getBoolean("ok")).isTrue();
            assertThat(other.nextJson().getJsonObject("message").getBoolean("ok")).isTrue();
        }
    }

    @Test
    void errorFrameSaysWhy() {
        try (WsClient sender = join("why")) {
            sender.send("[1,2]");
            assertThat(sender.nextJson().getString("error")).isEqualTo("expected a JSON object, got array");
            sender.send("{bad");
            assertThat(sender.nextJson().getString("error")).startsWith("invalid JSON");
        }
    }

    @Test
    void unicodePayloadsRoundTripUnchanged() {
        String text = "héllo 世界 🎉 مرحبا \u0001 \"quoted\" \\ tab\t end";
        JsonObject sent = Json.createObjectBuilder().add("text", text).add("emoji", "👩‍👩‍👧‍👦").build();
        try (WsClient a = join("unicode"); WsClient b = join("unicode")) {
            a.send(sent.toString());
            assertThat(b.nextJson().getJsonObject("message")).isEqualTo(sent);
            assertThat(a.nextJson().getJsonObject("message").getString("text")).isEqualTo(text);
        }
    }

    @Test
    void closedAndAbortedConnectionsLeaveTheirGroups() {
        WsClient closing = join("leaving");
        WsClient aborting = join("leaving");
        assertThat(Server.get("/api/groups").json().getInt("chat_leaving")).isEqualTo(2);

        closing.close();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> Server.get("/api/groups").json().getInt("chat_leaving", 0) == 1);

        aborting.abort(); // no close frame: the server sees the TCP connection drop
        await().atMost(Duration.ofSeconds(30))
                .until(() -> !Server.get("/api/groups").json().containsKey("chat_leaving"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a%20b", "caf%C3%A9", "plus%2Bsign"})
    void anInvalidRoomIsRefusedAtTheHandshakeWith400QuotingTheName(String room) throws Exception {
        try (RawWebSocket ws = RawWebSocket.connect("/chat/" + room, java.util.Map.of())) {
            assertThat(ws.status).isEqualTo(400);
            assertThat(WsClient.parse(ws.body).getString("error")).startsWith("invalid room: group name \"chat_");
        }
        assertThat(Server.get("/api/groups").json().keySet()).allSatisfy(g -> assertThat(g).doesNotContain(" ", "+"));
    }
}
