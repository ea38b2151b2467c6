package dev.switchboard.it.checker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The checker itself must be able to fail: each rule, broken once in a made-up history. */
class DeliveryChecksTest {

    private static Session steady(String client, long resumedAfter, long... offsets) {
        Session s = new Session(client, "room", true, true, Session.Role.STEADY, resumedAfter, "e1");
        s.openAtEnd = true;
        for (long o : offsets) {
            s.frames.add(new Session.Frame(new Session.Message("p", o, o, "e1"), null, null));
        }
        return s;
    }

    private static List<String> check(Session... sessions) {
        return DeliveryChecks.check(List.of(sessions), Map.of("room", "5@e1"));
    }

    @Test
    void aCleanHistoryPasses() {
        assertThat(check(steady("a", -1, 3, 4, 5), steady("b", 2, 3, 4, 5))).isEmpty();
    }

    @Test
    void aGapIsFound() {
        assertThat(check(steady("a", -1, 2, 4, 5))).anyMatch(v -> v.contains("offset 4 where 3 was due"));
    }

    @Test
    void aDuplicateAndAReorderAreFound() {
        assertThat(check(steady("a", -1, 3, 4, 4, 5))).anyMatch(v -> v.contains("received twice"))
                .anyMatch(v -> v.contains("offset 4 after 4"));
        assertThat(check(steady("a", -1, 3, 5, 4, 5))).anyMatch(v -> v.contains("seq 4 after 5"));
    }

    @Test
    void aBadResumeSeamIsFoundAndAResetMakesItGood() {
        assertThat(check(steady("a", 1, 3, 4, 5))).anyMatch(v -> v.contains("resume seam"));
        Session reset = steady("a", 1);
        reset.frames.add(new Session.Frame(null, new Session.Reset(2, "e1"), null));
        for (long o = 3; o <= 5; o++) {
            reset.frames.add(new Session.Frame(new Session.Message("p", o, o, "e1"), null, null));
        }
        assertThat(check(reset)).isEmpty();
    }

    @Test
    void aConnectionOpenToTheEndThatStopsShortIsFound() {
        assertThat(check(steady("a", -1, 3, 4))).singleElement().asString().contains("the room's is 5");
    }

    @Test
    void oneOffsetCarryingTwoMessagesIsFound() {
        Session a = steady("a", -1, 3, 4, 5);
        Session b = new Session("b", "room", true, true, Session.Role.STEADY, -1, "e1");
        b.openAtEnd = true;
        b.frames.add(new Session.Frame(new Session.Message("q", 9, 3, "e1"), null, null));
        b.frames.add(new Session.Frame(new Session.Message("p", 4, 4, "e1"), null, null));
        b.frames.add(new Session.Frame(new Session.Message("p", 5, 5, "e1"), null, null));
        assertThat(check(a, b)).anyMatch(v -> v.contains("room/e1/3"));
    }

    @Test
    void anUnannouncedEpochChangeALostPublishAndABadCloseAreFound() {
        Session epoch = steady("a", -1, 3, 4);
        epoch.frames.add(new Session.Frame(new Session.Message("p", 5, 5, "e2"), null, null));
        assertThat(check(epoch)).anyMatch(v -> v.contains("with no reset"));

        Session publisher = new Session("p", "room", true, true, Session.Role.PUBLISHER, -1, null);
        publisher.openAtEnd = true;
        publisher.published.addAll(List.of(4L, 5L));
        publisher.frames.add(new Session.Frame(new Session.Message("p", 4, 4, "e1"), null, null));
        publisher.frames.add(new Session.Frame(new Session.Message("p", 5, 5, "e1"), null, null));
        publisher.published.add(6L);
        assertThat(check(publisher)).anyMatch(v -> v.contains("seq 6 never came back"))
                .anyMatch(v -> v.contains("it published up to 6"));

        Session closed = steady("a", -1, 3);
        closed.openAtEnd = false;
        closed.closeCode = 1013;
        closed.closeReason = "";
        assertThat(check(closed)).singleElement().asString().contains("no reason");
    }

    @Test
    void inARoomWithoutOffsetsAGapInAPublishersSeqsIsFound() {
        Session reader = new Session("r", "plain", false, true, Session.Role.STEADY, -1, null);
        reader.openAtEnd = true;
        for (long seq : new long[] {1, 2, 4}) {
            reader.frames.add(new Session.Frame(new Session.Message("p", seq, 0, null), null, null));
        }
        assertThat(DeliveryChecks.check(List.of(reader), Map.of())).singleElement().asString().contains("a gap");
    }

    @Test
    void aReaderThatGotNothingFromAPublisherIsFoundAndAResetExcusesAJumpInSeqs() {
        Session publisher = new Session("p", "plain", false, true, Session.Role.PUBLISHER, -1, null);
        publisher.openAtEnd = true;
        for (long seq = 1; seq <= DeliveryChecks.JOIN_WINDOW + 1; seq++) { // more than a join can miss
            publisher.published.add(seq);
            publisher.frames.add(new Session.Frame(new Session.Message("p", seq, 0, null), null, null));
        }
        Session starved = new Session("r", "plain", false, true, Session.Role.STEADY, -1, null);
        starved.openAtEnd = true;
        assertThat(DeliveryChecks.check(List.of(publisher, starved), Map.of())).singleElement().asString()
                .contains("r@plain").contains("is seq null");

        Session resumed = steady("a", -1, 3);
        resumed.frames.add(new Session.Frame(null, new Session.Reset(4, "e1"), null));
        resumed.frames.add(new Session.Frame(new Session.Message("p", 9, 5, "e1"), null, null));
        assertThat(check(resumed)).isEmpty();
    }
}
