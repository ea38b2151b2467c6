package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile and broken clients against the real server. After each, a well-behaved pair in another room still
 * exchanges every message, and the server has logged no error (warnings about the refused client are expected).
 */
class HostileClientsIT extends DeployedAppTest {

    private static final Pattern ERROR_LINE = Pattern.compile("(?m)^\\[[^\\]]+\\] \\S+ \\S+\\s+E .*$");

    /**
     * Liberty's own message (an error line in the log, the body of its 400) for a URI with an encoded slash or a
     * malformed escape, which it refuses before any application code.
     */
    private static final String LIBERTY_REFUSED_ENCODED_URI = "CWWWC0005I";

    private int logMark;

    @BeforeEach
    void markLog() {
        logMark = Server.log().length();
    }

    @AfterEach
    void othersAreStillServedAndNothingWasLoggedAsAnError() {
        try (WsClient a = WsClient.joinRoom("bystanders"); WsClient b = WsClient.joinRoom("bystanders")) {
            for (int i = 0; i < 20; i++) {
                a.send("{\"i\":" + i + "}");
            }
            for (int i = 0; i < 20; i++) {
                assertThat(b.nextJson().getJsonObject("message").getInt("i")).isEqualTo(i);
            }
        }
        Matcher errors = ERROR_LINE.matcher(Server.log().substring(logMark));
        while (errors.find()) {
            assertThat(errors.group()).as("an error line in messages.log")
                    .contains(LIBERTY_REFUSED_ENCODED_URI);
        }
    }

    private static RawWebSocket room(String room) throws Exception {
        RawWebSocket ws = RawWebSocket.connect("/chat/" + room, Map.of());
        assertThat(ws.status).as(ws.response).isEqualTo(101);
        assertThat(ws.read().text()).contains("welcome");
        return ws;
    }

    /** @return the next text frame that is not presence */
    private static JsonObject nextJson(RawWebSocket ws) throws Exception {
        while (true) {
            RawWebSocket.Frame frame = ws.read();
            assertThat(frame).as("a frame").isNotNull();
            if (frame.opcode() == RawWebSocket.TEXT && !frame.text().startsWith("{\"type\":\"presence\"")) {
                return WsClient.parse(frame.text());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"{bad", "{\"a\":}", "[]", "\"\"", "nul", "{\"a\":1}}", "{\"a\":\"\\uZZZZ\"}"})
    void malformedJsonGetsAnErrorFrameAndTheConnectionStays(String text) throws Exception {
        try (RawWebSocket ws = room("hostile-json")) {
            ws.sendText(text);
            assertThat(nextJson(ws).getString("type")).isEqualTo("error");
            ws.sendText("{\"ok\":1}");
            assertThat(nextJson(ws).getJsonObject("message").getInt("ok")).isEqualTo(1);
        }
    }

    @Test
    void deepNestingIsRefusedWithDepthAndLimitAndCostsNoStack() throws Exception {
        try (RawWebSocket ws = room("hostile-deep")) {
            ws.sendText("{\"a\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}");
            assertThat(nextJson(ws).getString("error")).contains("nested 5001 deep").contains("max-json-depth is 32");
        }
        try (RawWebSocket ws = room("hostile-deep")) {
            ws.sendText("[".repeat(100_000) + "]".repeat(100_000)); // 200 KB: over the frame limit too
            RawWebSocket.Frame close = ws.awaitClose();
            assertThat(close).isNotNull();
            assertThat(close.closeCode()).isEqualTo(1009);
        }
    }

    @Test
    void hugeNumbersAreCarriedAsTheyAreUpToTheParsersLimitAndRefusedPastIt() throws Exception {
        try (RawWebSocket ws = room("hostile-numbers")) {
            String digits = "9".repeat(1_000);
            ws.sendText("{\"n\":" + digits + ",\"e\":1e999999999,\"m\":-0.000000000000000000000000001}");
            JsonObject message = nextJson(ws).getJsonObject("message");
            assertThat(message.getJsonNumber("n").toString()).isEqualTo(digits);
            assertThat(message.getJsonNumber("e").bigDecimalValue()).isEqualByComparingTo("1e999999999");

            ws.sendText("{\"n\":" + "9".repeat(20_000) + "}");
            assertThat(nextJson(ws).getString("error")).contains("20000").contains("1100");
        }
    }

    @Test
    void aSixteenMegabyteFrameIsClosedWith1009() throws Exception {
        try (RawWebSocket ws = room("hostile-big")) {
            byte[] big = ("{\"x\":\"" + "y".repeat(16 * 1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
            try {
                ws.send(RawWebSocket.TEXT, big);
            } catch (java.io.IOException e) {
                // the server may close before taking it all: what it said is what counts
            }
            RawWebSocket.Frame close = ws.awaitClose();
            assertThat(close).as("a close frame").isNotNull();
            assertThat(close.closeCode()).isEqualTo(1009);
        }
    }

    @Test
    void aFrameJustOverTheLimitIsClosedWith1009QuotingTheLimit() throws Exception {
        try (RawWebSocket ws = room("hostile-limit")) {
            ws.sendText("{\"x\":\"" + "é".repeat(40_000) + "\"}"); // 40,000 chars, 80,010 bytes
            RawWebSocket.Frame close = ws.awaitClose();
            assertThat(close).as("a close frame").isNotNull();
            assertThat(close.closeCode()).isEqualTo(1009);
        }
    }

    @Test
    void invalidUtf8IsClosedWith1007AndNeverReachesTheRoom() throws Exception {
        try (WsClient watcher = WsClient.joinRoom("hostile-utf8"); RawWebSocket ws = room("hostile-utf8")) {
            ws.send(RawWebSocket.TEXT, new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'});
            RawWebSocket.Frame close = ws.awaitClose();
            assertThat(close).as("a close frame").isNotNull();
            assertThat(close.closeCode()).isEqualTo(1007);
            // Had the frame been taken (decoded leniently, with U+FFFD), the watcher would get it before its own.
            watcher.send("{\"after\":true}");
            assertThat(watcher.nextJson().getJsonObject("message").toString()).isEqualTo("{\"after\":true}");
        }
    }

    @Test
    void aBinaryFrameIsClosedWith1003() throws Exception {
        try (RawWebSocket ws = room("hostile-binary")) {
            ws.send(RawWebSocket.BINARY, new byte[] {1, 2, 3});
            RawWebSocket.Frame close = ws.awaitClose();
            assertThat(close).as("a close frame").isNotNull();
            assertThat(close.closeCode()).isEqualTo(1003);
        }
    }

    @Test
    void anEmptyFrameGetsAnErrorFrame() throws Exception {
        try (RawWebSocket ws = room("hostile-empty")) {
            ws.send(RawWebSocket.TEXT, new byte[0]);
            assertThat(nextJson(ws).getString("error")).contains("empty frame");
            ws.sendText("{\"after\":true}");
            assertThat(nextJson(ws).getJsonObject("message").getBoolean("after")).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"a%0Ab", "a%00b", "tab%09", "%E2%80%AE", "a%5C..%5Cb"})
    void controlCharactersAndTraversalInRoomNamesAreRefusedWith400QuotingThem(String room) throws Exception {
        try (RawWebSocket ws = RawWebSocket.connect("/chat/" + room, Map.of())) {
            assertThat(ws.status).as(ws.response).isEqualTo(400);
            if (ws.body.startsWith("{")) { // ours; Liberty refuses some control characters itself, with HTML
                assertThat(WsClient.parse(ws.body).getString("error")).startsWith("invalid room")
                        .doesNotContainPattern("[\\x00-\\x1f]");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"..%2F..%2Fetc", "..", "a%2Fb", "%2E%2E"})
    void pathsThatLibertyItselfRefusesOrNormalizesNeverUpgrade(String room) throws Exception {
        // Liberty refuses an encoded slash (and logs it as an error: see the allow-list below) and redirects "..";
        // neither reaches the endpoint
        try (RawWebSocket ws = RawWebSocket.connect("/chat/" + room, Map.of())) {
            assertThat(ws.status).as(ws.response).isNotEqualTo(101);
        }
    }

    /**
     * Liberty refuses a malformed %-escape itself, before any filter (the room filter's own check, RoomNameFilterTest,
     * is for a container that would pass such a URI on).
     */
    @ParameterizedTest
    @ValueSource(strings = {"%zz", "a%zzb", "lobby%", "lobby%4", "%g1"})
    void aMalformedEscapeInTheRoomIsRefusedWith400ByLibertyBeforeTheUpgrade(String room) throws Exception {
        try (RawWebSocket ws = RawWebSocket.connect("/chat/" + room, Map.of())) {
            assertThat(ws.status).as(ws.response).isEqualTo(400);
            assertThat(ws.body).contains(LIBERTY_REFUSED_ENCODED_URI);
        }
    }

    @Test
    void tenThousandJoinsFromOneConnectionStopAtTheLimit() {
        try (WsClient client = WsClient.connect("/probe/joins")) {
            client.send("{\"count\":10000}");
            JsonObject result = client.nextJson();
            assertThat(result.getInt("joined")).isEqualTo(64);
            assertThat(result.getInt("refused")).isEqualTo(10_000 - 64);
            assertThat(result.getInt("groups")).isEqualTo(64);
            assertThat(result.getString("error")).contains("is in 64 groups").contains("max-per-connection is 64");
        }
    }

    @Test
    void aFloodingConnectionIsWarnedThenClosedWithPolicyViolation() throws Exception {
        // /notifications echoes nothing, so the flood meets the rate limit, not the outbox bound
        try (RawWebSocket ws = RawWebSocket.connect("/notifications", Map.of())) {
            assertThat(ws.status).isEqualTo(101);
            byte[] tiny = "{}".getBytes(StandardCharsets.UTF_8);
            try {
                // the test server allows 5,000 a second in bursts of 5 s: this is far more, as fast as it can go
                for (int i = 0; i < 300_000; i++) {
                    ws.send(RawWebSocket.TEXT, tiny);
                }
            } catch (java.io.IOException e) {
                // closed under our feet: expected once the server has had enough
            }
            boolean warned = false;
            RawWebSocket.Frame frame;
            while ((frame = ws.read()) != null && frame.opcode() != RawWebSocket.CLOSE) {
                warned |= frame.text().contains("rate limit");
            }
            assertThat(warned).as("an error frame about the rate first").isTrue();
            assertThat(frame).as("then a close").isNotNull();
            assertThat(frame.closeCode()).isEqualTo(1008);
            assertThat(frame.closeReason()).contains("rate limit");
        }
    }
}
