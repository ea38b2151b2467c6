package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** History and resume on {@code /chat/{room}?since=<offset>&epoch=<epoch>}: no silent gap, no duplicate. */
class ResumeIT extends DeployedAppTest {

    private static final int MESSAGES = 5_000;
    private static final int WINDOW = 64;
    /** How far the stream runs on while the reader is away: within the 2,000 messages the test server keeps. */
    private static final int GAP = 1_500;

    /**
     * Keeps the publisher at most {@link #WINDOW} messages ahead of the reader while the reader is connected, so that
     * neither outbox reaches its bound (the demo rooms close a member that does), and at most {@link #GAP} while it is
     * away, so that what it missed is still in history; waits are on a monitor, bounded.
     */
    private static final class Flow {
        private boolean readerConnected = true;
        private int readerSeq = -1;

        synchronized void read(int seq) {
            readerSeq = seq;
            notifyAll();
        }

        synchronized void reader(boolean connected) {
            readerConnected = connected;
            notifyAll();
        }

        synchronized void beforeSending(int seq) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (seq - readerSeq > (readerConnected ? WINDOW : GAP)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("reader stuck at " + readerSeq + " while publishing " + seq);
                }
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    /** What one reader saw of the stamped frames. */
    private static final class Seen {
        final List<Integer> seqs = new ArrayList<>();
        final Flow flow;
        long lastOffset;
        String epoch;

        Seen(Flow flow) {
            this.flow = flow;
        }

        /** Checks that stamped frames come with consecutive offsets; records room messages. */
        void take(JsonObject frame) {
            if (!frame.containsKey("offset")) {
                return; // welcome and the member list are for this connection only, not part of the stream
            }
            long offset = frame.getJsonNumber("offset").longValue();
            if (lastOffset > 0) {
                assertThat(offset).as("offset after %d: no gap, no duplicate", lastOffset).isEqualTo(lastOffset + 1);
            }
            lastOffset = offset;
            epoch = frame.getString("epoch");
            if (frame.containsKey("message")) {
                int seq = frame.getJsonObject("message").getInt("seq");
                seqs.add(seq);
                flow.read(seq);
            }
        }
    }

    @Test
    void aClientAwayForTwoSecondsMidStreamGetsEveryMessageOnceInOrderAndStaleResumesGetAReset() throws Exception {
        String room = "resume";
        WsClient publisher = WsClient.joinRoom(room);
        WsClient reader = WsClient.connect("/chat/" + room);
        Flow flow = new Flow();
        Seen seen = new Seen(flow);
        JsonObject first = reader.nextJson();
        while (!first.containsKey("members")) { // the member list comes once the reader is in the room
            seen.take(first);
            first = reader.nextJson();
        }
        AtomicInteger sent = new AtomicInteger();
        CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> {
            for (int k = 0; k < MESSAGES; k++) {
                flow.beforeSending(k);
                publisher.send("{\"seq\":" + k + "}");
                sent.incrementAndGet();
                if (k >= WINDOW) { // stay at most WINDOW ahead of the publisher's own copy, well under the outbox bound
                    awaitEcho(publisher, k - WINDOW);
                }
            }
            for (int k = Math.max(0, MESSAGES - WINDOW); k < MESSAGES; k++) {
                awaitEcho(publisher, k);
            }
        });
        try {
            while (seen.seqs.isEmpty() || seen.seqs.get(seen.seqs.size() - 1) < 1_000) {
                seen.take(reader.nextJson());
            }
            reader.abort(); // gone without a close frame, as a dropped network does
            flow.reader(false);
            long awayAt = sent.get();
            await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(60))
                    .until(() -> sent.get() >= awayAt + 1_000 && sent.get() < MESSAGES);

            WsClient back = WsClient.connect("/chat/" + room + "?since=" + seen.lastOffset + "&epoch=" + seen.epoch);
            flow.reader(true);
            try {
                while (seen.seqs.get(seen.seqs.size() - 1) < MESSAGES - 1) {
                    JsonObject frame = back.nextJson();
                    assertThat(frame.getString("type", "")).as("no reset for a resume within history").isNotEqualTo("reset");
                    seen.take(frame);
                }
            } finally {
                back.close();
            }
            List<Integer> expected = new ArrayList<>();
            for (int k = 0; k < MESSAGES; k++) {
                expected.add(k);
            }
            assertThat(seen.seqs).as("every message exactly once, in order").isEqualTo(expected);
            publishing.get();

            // an offset that history no longer holds (it keeps 2,000 on the test server): a reset first
            WsClient stale = WsClient.connect("/chat/" + room + "?since=1&epoch=" + seen.epoch);
            try {
                JsonObject reset = firstStreamFrame(stale);
                assertThat(reset.getString("type")).isEqualTo("reset");
                assertThat(reset.getString("epoch")).isEqualTo(seen.epoch);
                long from = reset.getJsonNumber("offset").longValue();
                assertThat(from).isGreaterThan(seen.lastOffset - 2_100);
                assertThat(stale.nextJson().getJsonNumber("offset").longValue()).isEqualTo(from + 1);
            } finally {
                stale.close();
            }
        } finally {
            publisher.close();
        }
    }

    @Test
    void aForeignEpochGetsAResetThenTheHistoryTheGroupStillHas() {
        String room = "foreign";
        try (WsClient holder = WsClient.joinRoom(room)) {
            for (int k = 0; k < 3; k++) {
                holder.send("{\"seq\":" + k + "}");
                holder.nextJson();
            }
            try (WsClient client = WsClient.connect("/chat/" + room + "?since=2&epoch=not-this-one")) {
                JsonObject reset = firstStreamFrame(client);
                assertThat(reset.getString("type")).isEqualTo("reset");
                assertThat(reset.getString("epoch")).isNotEqualTo("not-this-one");
                assertThat(reset.getJsonNumber("offset").longValue()).isZero();
                JsonObject first = client.nextJson();
                assertThat(first.getJsonNumber("offset").longValue()).isEqualTo(1);
            }
        }
    }

    @Test
    void aSinceThatIsNotANumberIsRefusedWithTheValueQuoted() {
        try (WsClient client = WsClient.connect("/chat/badsince?since=abc&epoch=x")) {
            WsClient.Close close = client.awaitClose();
            assertThat(close.code()).isEqualTo(1008);
            assertThat(close.reason()).contains("since").contains("\"abc\"");
        }
    }

    private static JsonObject firstStreamFrame(WsClient client) {
        JsonObject frame = client.nextJson();
        while ("welcome".equals(frame.getString("type", ""))) {
            frame = client.nextJson();
        }
        return frame;
    }

    private static void awaitEcho(WsClient publisher, int seq) {
        JsonObject echo = publisher.nextJson();
        assertThat(echo.getJsonObject("message").getInt("seq")).isEqualTo(seq);
    }
}
