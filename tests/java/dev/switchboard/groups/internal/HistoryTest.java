package dev.switchboard.groups.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.internal.delivery.Frame;
import org.junit.jupiter.api.Test;

/** The ring of a group's latest messages and the budget all groups share. */
class HistoryTest {

    private static Frame frame(int bytes) {
        return Frame.of("x".repeat(bytes));
    }

    @Test
    void keepsExactlyItsBoundsAndEvictsTheOldestPastThem() {
        History.Budget budget = new History.Budget(1_000_000);
        History byCount = new History(3, 1_000_000, budget);
        for (long o = 1; o <= 3; o++) {
            byCount.append(o, frame(10));
        }
        assertThat(byCount.size()).as("at the bound, nothing goes").isEqualTo(3);
        byCount.append(4, frame(10));
        assertThat(byCount.size()).isEqualTo(3);
        assertThat(byCount.firstOffset(4)).isEqualTo(2);

        History byBytes = new History(100, 30, budget);
        byBytes.append(1, frame(10));
        byBytes.append(2, frame(20)); // exactly 30
        assertThat(byBytes.size()).isEqualTo(2);
        assertThat(byBytes.bytes()).isEqualTo(30);
        byBytes.append(3, frame(1));
        assertThat(byBytes.size()).isEqualTo(2);
        assertThat(byBytes.bytes()).isEqualTo(21);
        assertThat(budget.used()).isEqualTo(byCount.bytes() + byBytes.bytes());
    }

    @Test
    void findsEachKeptOffsetAndNothingOutside() {
        History h = new History(5, 1_000_000, new History.Budget(1_000_000));
        assertThat(h.firstOffset(7)).as("empty: one past the last").isEqualTo(8);
        for (long o = 8; o <= 20; o++) {
            h.append(o, Frame.of("m" + o));
        }
        assertThat(h.firstOffset(20)).isEqualTo(16);
        assertThat(h.get(15)).isNull();
        assertThat(h.get(16).text()).isEqualTo("m16");
        assertThat(h.get(20).text()).isEqualTo("m20");
        assertThat(h.get(21)).isNull();
    }

    @Test
    void anOffsetThatDoesNotFollowIsRefusedNamingBoth() {
        History h = new History(5, 1_000_000, new History.Budget(1_000_000));
        h.append(3, frame(1));
        assertThatThrownBy(() -> h.append(5, frame(1))).isInstanceOf(IllegalStateException.class)
                .hasMessage("offset 5 does not follow 3");
    }

    @Test
    void theBudgetIsOverOnlyPastItsBytesAndSharedEvenlyByTheHistoriesThatKeepAny() {
        History.Budget budget = new History.Budget(100);
        History a = new History(1_000, 1_000, budget);
        History none = new History(0, 1_000, budget); // keeps no history: takes no share
        assertThat(budget.share()).isEqualTo(100);
        History b = new History(1_000, 1_000, budget);
        assertThat(budget.share()).isEqualTo(50);
        a.append(1, frame(60));
        b.append(1, frame(40)); // exactly 100: not over
        assertThat(budget.over()).isFalse();
        assertThat(a.size()).isEqualTo(1);
        b.append(2, frame(1)); // over; b holds 41, under its share of 50: it keeps its messages
        assertThat(budget.over()).isTrue();
        assertThat(b.size()).isEqualTo(2);
        a.trim(); // a holds 60, over its share: it gives way
        assertThat(a.size()).isZero();
        assertThat(budget.over()).isFalse();
        b.clear();
        assertThat(budget.used()).isZero();
        assertThat(budget.share()).as("b's share back").isEqualTo(100);
        b.clear();
        assertThat(budget.share()).as("cleared twice, counted once").isEqualTo(100);
        none.clear();
        assertThat(budget.share()).isEqualTo(100);
    }

    @Test
    void trimStopsAtTheShareExactly() {
        History.Budget budget = new History.Budget(20);
        History a = new History(1_000, 1_000, budget);
        History b = new History(1_000, 1_000, budget);
        a.append(1, frame(10));
        a.append(2, frame(10));
        b.append(1, frame(10)); // b holds its share; a is evicted on append down to its own
        a.trim();
        assertThat(a.bytes()).isEqualTo(10);
        b.trim();
        assertThat(b.bytes()).as("at its share exactly: kept").isEqualTo(10);
    }
}
