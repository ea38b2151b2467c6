package dev.switchboard.groups.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.connections.Overflow;
import dev.switchboard.internal.delivery.Frame;
import dev.switchboard.groups.GroupMessage;
import dev.switchboard.groups.GroupPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

class GroupTest {

    private static Group group(int historyMessages, long historyBytes) {
        return new Group("room", new GroupPolicy(Overflow.CLOSE, historyMessages, historyBytes),
                new History.Budget(Long.MAX_VALUE));
    }

    @Test
    void aGroupWithHistoryStampsConsecutiveOffsetsAndItsEpoch() {
        Group g = group(10, 1 << 20);
        assertThat(g.next(Frame.of("{\"a\":1}")).text()).isEqualTo("{\"a\":1,\"offset\":1,\"epoch\":\"" + g.epoch() + "\"}");
        assertThat(g.next(Frame.of("{}")).text()).isEqualTo("{\"offset\":2,\"epoch\":\"" + g.epoch() + "\"}");
        assertThat(g.lastOffset()).isEqualTo(2);
    }

    @Test
    void aGroupWithoutHistoryCountsOffsetsButSendsThePayloadAsItIs() {
        Group g = group(0, 1 << 20);
        assertThat(g.next(Frame.of("[1,2]")).text()).isEqualTo("[1,2]");
        assertThat(g.lastOffset()).isEqualTo(1);
        assertThat(g.history(0)).isEmpty();
    }

    @Test
    void aPayloadThatIsNotAnObjectIsRefusedByAGroupWithHistoryQuotingIt() {
        Group g = group(10, 1 << 20);
        assertThatThrownBy(() -> g.next(Frame.of("[1,2]"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"room\"").hasMessageContaining("[1,2]");
    }

    @Test
    void historyEvictsTheOldestByCountAndByBytes() {
        Group byCount = group(3, 1 << 20);
        for (int i = 0; i < 5; i++) {
            byCount.next(Frame.of("{\"i\":" + i + "}"));
        }
        assertThat(byCount.history(0)).extracting(GroupMessage::offset).containsExactly(3L, 4L, 5L);
        assertThat(byCount.history(4)).extracting(GroupMessage::offset).containsExactly(5L);
        assertThat(byCount.info().firstRetainedOffset()).isEqualTo(3);

        Group byBytes = group(100, 100);
        for (int i = 0; i < 5; i++) {
            byBytes.next(Frame.of("{\"i\":" + i + "}")); // 35 bytes each once stamped
        }
        assertThat(byBytes.info().historyBytes()).isLessThanOrEqualTo(100);
        assertThat(byBytes.history(0)).extracting(GroupMessage::offset).containsExactly(4L, 5L);
    }

    @Test
    void everyGroupInstanceHasItsOwnEpoch() {
        assertThat(group(1, 100).epoch()).isNotEqualTo(group(1, 100).epoch());
    }

    @Test
    void aRefusedPayloadTakesNoOffsetSoClientsSeeNoGap() {
        Group g = group(10, 1 << 20);
        g.next(Frame.of("{\"a\":1}"));
        assertThatThrownBy(() -> g.next(Frame.of("\"not an object\""))).isInstanceOf(IllegalArgumentException.class);
        assertThat(g.next(Frame.of("{\"a\":2}")).text()).contains("\"offset\":2,");
        assertThat(g.history(0)).extracting(GroupMessage::offset).containsExactly(1L, 2L);
    }

    @Test
    void historyKeepsConsecutiveOffsetsAcrossTheRingWrappingAndGrowing() {
        Group g = group(40, 1 << 20);
        for (int i = 1; i <= 1_000; i++) {
            g.next(Frame.of("{\"i\":" + i + "}"));
            if (i % 7 == 0) { // read in between, as resumes do
                assertThat(g.history(i - 3)).extracting(GroupMessage::offset).containsExactly(i - 2L, i - 1L, (long) i);
            }
        }
        assertThat(g.history(0)).hasSize(40).first().satisfies(m -> {
            assertThat(m.offset()).isEqualTo(961);
            assertThat(m.json()).startsWith("{\"i\":961,");
        });
    }

    @Test
    void allGroupsTogetherKeepNoMoreHistoryThanTheSharedBudget() {
        History.Budget budget = new History.Budget(1_000);
        GroupPolicy generous = new GroupPolicy(Overflow.CLOSE, 10_000, 1 << 20);
        Group a = new Group("a", generous, budget);
        Group b = new Group("b", generous, budget);
        for (int i = 0; i < 100; i++) {
            a.next(Frame.of("{\"i\":" + i + "}"));
            b.next(Frame.of("{\"i\":" + i + "}"));
            assertThat(budget.used()).isLessThanOrEqualTo(1_000);
        }
        assertThat(a.info().historyMessages()).isPositive();
        assertThat(b.info().historyMessages()).isPositive();
        assertThat(budget.used()).isEqualTo(a.info().historyBytes() + b.info().historyBytes());
    }

    /** Records what a group in cluster mode hands its members. */
    private static final class Recorded implements Group.Sink {
        final List<String> frames = new java.util.ArrayList<>();

        @Override
        public void deliver(Frame frame, long offset, dev.switchboard.internal.delivery.Member except,
                java.util.concurrent.CompletableFuture<dev.switchboard.groups.SendReport> report) {
            frames.add(frame.text());
        }

        @Override
        public void reset(Frame frame) {
            frames.add(frame.text());
        }
    }

    private static dev.switchboard.groups.internal.backplane.Backplane.Entry entry(long offset, String text) {
        return new dev.switchboard.groups.internal.backplane.Backplane.Entry(offset, "{\"t\":\"" + text + "\"}",
                "id-" + text);
    }

    @Test
    void aMessageOfAnotherEpochThatArrivedBeforeTheAttachIsNeverDeliveredUnderTheNewEpochsOffsets() {
        Group g = new Group("room", new GroupPolicy(Overflow.CLOSE, 0, 0), new History.Budget(Long.MAX_VALUE), true);
        Recorded sink = new Recorded();
        g.arrive(entry(3, "old-3"), "OLD", sink); // heard between the subscribe and the attach's read
        g.attach(new dev.switchboard.groups.internal.backplane.Backplane.Snapshot("NEW", 0, List.of()), sink);
        for (int i = 1; i <= 3; i++) {
            g.arrive(entry(i, "new-" + i), "NEW", sink);
        }
        assertThat(sink.frames).containsExactly("{\"t\":\"new-1\"}", "{\"t\":\"new-2\"}", "{\"t\":\"new-3\"}");
    }

    @Test
    void whatWaitsAheadOfAGapIsBounded() {
        Group g = new Group("room", new GroupPolicy(Overflow.CLOSE, 0, 0), new History.Budget(Long.MAX_VALUE), true);
        Recorded sink = new Recorded();
        g.attach(new dev.switchboard.groups.internal.backplane.Backplane.Snapshot("E", 0, List.of()), sink);
        for (int i = 2; i <= Group.MAX_EARLY + 500; i++) { // offset 1 never comes by pub/sub
            g.arrive(entry(i, "m" + i), "E", sink);
        }
        assertThat(g.early()).isEqualTo(Group.MAX_EARLY);
        assertThat(sink.frames).isEmpty();
        // the read that the gap asked for brings offset 1 and what follows: in order, nothing lost
        List<dev.switchboard.groups.internal.backplane.Backplane.Entry> read = new java.util.ArrayList<>();
        for (int i = 1; i <= Group.MAX_EARLY + 500; i++) {
            read.add(entry(i, "m" + i));
        }
        g.read(new dev.switchboard.groups.internal.backplane.Backplane.Seen("E", 0),
                new dev.switchboard.groups.internal.backplane.Backplane.Snapshot("E", Group.MAX_EARLY + 500, read),
                sink);
        assertThat(sink.frames).hasSize(Group.MAX_EARLY + 500);
        assertThat(g.lastOffset()).isEqualTo(Group.MAX_EARLY + 500);
    }
}
