package dev.switchboard.it;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.awaitility.core.ConditionTimeoutException;

/** Makes clients that stopped reading really stalled: their socket buffers full, a write to each blocked. */
final class Stalls {

    /** Seq of the filler frames, above any seq a test sends. */
    static final int FILLER = 100_000;

    private Stalls() {
    }

    /**
     * Sends 128 KB frames, one at a time, through {@code group} (only the non-reading clients are in it) until every
     * member of it has a frame waiting behind a blocked write (loopback's socket buffers take megabytes), and the
     * server counts at least {@code writes} writes blocked.
     */
    static void fill(String group, int writes) {
        for (int i = 0; i < 200; i++) {
            Server.post("/api/probe/send-async?group=" + group + "&from=" + (FILLER + i) + "&count=1&size="
                    + (128 * 1024), "");
            try {
                await().atMost(Duration.ofMillis(400)).pollInterval(Duration.ofMillis(20))
                        .until(() -> Server.get("/api/probe/queued?group=" + group).json().getInt("fewest") >= 1
                                && stalledWrites() >= writes);
                return;
            } catch (ConditionTimeoutException notYet) {
                // the sockets still take more
            }
        }
        throw new AssertionError("fewer than " + writes + " writes blocked after 200 x 128 KB to " + group);
    }

    /** @return sender threads the server counts as stalled inside a write */
    static int stalledWrites() {
        return Server.get("/api/probe/state").json().getInt("stalledWrites");
    }
}
