package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** The rate limit against a client that keeps under it (the flood is in {@link HostileClientsIT}). */
class RateLimitIT extends ModuleTest {

    /** The test server's {@code switchboard.limits.messages-per-second} (tests/liberty/switchboard-overrides.xml). */
    private static final int RATE = 5_000;
    /** What the client sends: 90% of the rate. */
    private static final int PACE = RATE * 9 / 10;
    /** How long the server is busy: under the default burst of 5 s, over the old bucket of 1 s. */
    private static final int BUSY_SECONDS = 4;

    /**
     * The server stops taking this connection's messages for 4 s ({@code /probe/pause}); the client goes on at 4,500
     * frames a second, which wait in the socket and arrive together when the server is released. Every one is taken.
     */
    @Test
    void aClientUnderTheRateLosesNothingWhenABusyServerTakesUpItsQueuedFramesAtOnce() throws Exception {
        String token = UUID.randomUUID().toString();
        int frames = PACE * BUSY_SECONDS;
        try (RawWebSocket ws = RawWebSocket.connect("/probe/pause", Map.of())) {
            assertThat(ws.status).as(ws.response).isEqualTo(101);
            ws.sendText("{\"pause\":\"" + token + "\"}");
            assertThat(next(ws)).isEqualTo("{\"paused\":\"" + token + "\"}");

            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> paced(ws, frames));
            boolean sent;
            try {
                sending.get(BUSY_SECONDS + 20, TimeUnit.SECONDS);
                sent = true;
            } catch (TimeoutException e) {
                sent = false; // the socket buffers are full: release the server so that the sender ends
            } finally {
                assertThat(Server.post("/api/probe/release?token=" + token, "").status()).isEqualTo(200);
            }
            assertThat(sent).as("%d frames handed to the socket while the server was busy", frames).isTrue();
            assertThat(next(ws)).isEqualTo("{\"resumed\":true}");

            ws.sendText("{\"count\":true}");
            List<String> others = new ArrayList<>();
            String frame;
            while (!(frame = next(ws)).startsWith("{\"received\"")) {
                others.add(frame);
            }
            assertThat(others).as("error frames").isEmpty();
            assertThat(frame).isEqualTo("{\"received\":" + frames + "}");
        }
    }

    // At the pace, by the clock: a frame is sent when it is due (several at once if the sender fell behind).
    private static void paced(RawWebSocket ws, int frames) {
        byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
        long start = System.nanoTime();
        try {
            for (int i = 0; i < frames; i++) {
                long due = start + i * 1_000_000_000L / PACE;
                for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                }
                ws.send(RawWebSocket.TEXT, empty);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String next(RawWebSocket ws) throws IOException {
        RawWebSocket.Frame frame = ws.read();
        assertThat(frame).as("a frame within 20 s").isNotNull();
        assertThat(frame.opcode()).as(frame.text()).isEqualTo(RawWebSocket.TEXT);
        return frame.text();
    }
}
