package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The overflow policies end to end, on a real Liberty: a member whose socket is full (it stopped reading) in a group
 * with DROP_NEWEST or DROP_OLDEST stays connected and keeps the first, or the last, messages its outbox holds; the
 * send reports count what it did not get; a reading member of the same group gets everything.
 */
class OverflowPoliciesIT extends DeployedAppTest {

    private static final int MESSAGES = 200;
    private static final int SIZE = 4 * 1024; // 256 KB outbox in the test server: about 60 of them fit
    private static final int BATCH = 20;

    @Test
    void dropNewestKeepsTheFirstMessagesAndTheConnection() throws Exception {
        List<Integer> kept = run("drop-newest-", "DROP_NEWEST");
        assertThat(kept).first().isEqualTo(0);
        assertThat(kept.get(kept.size() - 1)).isLessThan(MESSAGES - 1);
    }

    @Test
    void dropOldestKeepsTheLastMessagesAndTheConnection() throws Exception {
        List<Integer> kept = run("drop-oldest-", "DROP_OLDEST");
        assertThat(kept).first().isNotEqualTo(0);
        assertThat(kept.get(kept.size() - 1)).isEqualTo(MESSAGES - 1);
    }

    @Test
    void closeEndsTheConnectionWith1013AndAReasonNamingTheValueSeenAndTheLimit() {
        Server.post("/api/probe/policy?prefix=close-policy-&overflow=CLOSE&history=0", "");
        String room = "close-policy-room";
        WsClient stalled = WsClient.connectAsync("/probe/member/" + room + "?also=close-policy-fill", false).join();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> Server.get("/api/groups").json().getInt(room, 0) == 1);
            Stalls.fill("close-policy-fill", 1);
            Server.post("/api/probe/send?group=" + room + "&from=0&count=" + MESSAGES + "&size=" + SIZE, "");
            stalled.startReading(); // it reads what its socket held, then the close frame
            WsClient.Close close = stalled.awaitClose();
            assertThat(close.code()).isEqualTo(1013);
            // the value seen and the limit, within the 123 bytes a close frame's reason may have
            assertThat(close.reason()).matches("outbox full: \\d+ (bytes|msgs), limit switchboard\\.outbox\\.max-"
                    + "(bytes=262144|messages=1024)");
        } finally {
            stalled.abort();
        }
    }

    /** @return the seqs of the room's messages the stalled member got once it read again: one run, no gap */
    private List<Integer> run(String prefix, String overflow) throws Exception {
        Server.post("/api/probe/policy?prefix=" + prefix + "&overflow=" + overflow + "&history=0", "");
        String room = prefix + "room";
        String fill = prefix + "fill";
        WsClient stalled = WsClient.connectAsync("/probe/member/" + room + "?also=" + fill, false).join();
        WsClient reader = WsClient.connect("/probe/member/" + room);
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> Server.get("/api/groups").json().getInt(room, 0) == 2);
            Stalls.fill(fill, 1);
            // In batches the reading member keeps up with (its outbox holds about 60): only the stalled one overflows.
            for (int from = 0; from < MESSAGES; from += BATCH) {
                Server.post("/api/probe/send-async?group=" + room + "&from=" + from + "&count=" + BATCH + "&size="
                        + SIZE, "");
                for (int seq = from; seq < from + BATCH; seq++) {
                    assertThat(reader.nextJson().getInt("seq")).as("the reading member").isEqualTo(seq);
                }
            }
            JsonObject group = Server.get("/api/groups/" + room).json();
            int dropped = group.getInt("dropped");
            assertThat(dropped).as("dropped for the stalled member, each a failure in its send's report").isPositive();
            assertThat(group.getJsonArray("members")).as("nobody closed").hasSize(2);
            assertThat(group.getInt("slowClosed")).isZero();

            stalled.startReading();
            List<Integer> kept = new ArrayList<>();
            while (kept.size() < MESSAGES - dropped) {
                int seq = stalled.nextJson().getInt("seq");
                if (seq < Stalls.FILLER) {
                    kept.add(seq);
                }
            }
            assertThat(stalled.poll()).as("nothing after what its outbox kept").isNull();
            assertThat(kept).as("one run of consecutive seqs").isNotEmpty();
            for (int i = 1; i < kept.size(); i++) {
                assertThat(kept.get(i)).isEqualTo(kept.get(i - 1) + 1);
            }
            assertThat(stalled.isClosed()).isFalse();
            return kept;
        } finally {
            reader.close();
            stalled.abort();
        }
    }
}
