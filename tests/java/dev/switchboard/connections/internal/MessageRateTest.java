package dev.switchboard.connections.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MessageRateTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long S = TimeUnit.SECONDS.toNanos(1);

    @Test
    void aBurstUpToBurstSecondsOfTheRateIsAllowedThenOneWarningThenDropsThenClose() {
        MessageRate rate = new MessageRate(10, 3, 0);
        for (int i = 0; i < 30; i++) {
            assertThat(rate.next(0)).isEqualTo(MessageRate.Verdict.ALLOW);
        }
        assertThat(rate.next(0)).isEqualTo(MessageRate.Verdict.WARN);
        for (int i = 0; i < 9; i++) {
            assertThat(rate.next(0)).isEqualTo(MessageRate.Verdict.DROP);
        }
        assertThat(rate.next(0)).as("a further second's worth dropped").isEqualTo(MessageRate.Verdict.CLOSE);
    }

    @Test
    void tokensComeBackWithTimeAndASecondWithoutDropsEndsTheEpisode() {
        MessageRate rate = new MessageRate(10, 2, 0);
        for (int i = 0; i < 20; i++) {
            rate.next(0);
        }
        assertThat(rate.next(0)).isEqualTo(MessageRate.Verdict.WARN);
        assertThat(rate.next(100 * MS)).isEqualTo(MessageRate.Verdict.ALLOW); // one token after 100 ms
        assertThat(rate.next(100 * MS)).as("same episode").isEqualTo(MessageRate.Verdict.DROP);
        assertThat(rate.next(1_500 * MS)).isEqualTo(MessageRate.Verdict.ALLOW);
        for (int i = 0; i < 13; i++) { // 14 tokens came back in 1.4 s
            assertThat(rate.next(1_500 * MS)).isEqualTo(MessageRate.Verdict.ALLOW);
        }
        assertThat(rate.next(1_500 * MS)).as("a new episode warns again").isEqualTo(MessageRate.Verdict.WARN);
    }

    @Test
    void aFloodAtTwiceTheRateIsClosedAboutASecondAfterItHasUsedUpTheBurst() {
        MessageRate rate = new MessageRate(100, 5, 0);
        MessageRate.Verdict verdict = MessageRate.Verdict.ALLOW;
        long t = 0;
        int frames = 0;
        while (verdict != MessageRate.Verdict.CLOSE && frames < 10_000) {
            t += 5 * MS; // 200 frames a second
            verdict = rate.next(t);
            frames++;
        }
        assertThat(verdict).isEqualTo(MessageRate.Verdict.CLOSE);
        // the 500-frame burst lasts 5 s at a net 100 frames a second over the rate, then 101 drops take about 1 s
        assertThat(t).isBetween(5_900 * MS, 6_200 * MS);
    }

    @Test
    void aFloodAllAtOnceIsClosedAfterTheBurstAndASecondsWorth() {
        MessageRate rate = new MessageRate(50, 5, 0);
        int allowed = 0;
        MessageRate.Verdict verdict;
        int frames = 0;
        do {
            verdict = rate.next(frames * 1_000L); // a frame a microsecond
            allowed += verdict == MessageRate.Verdict.ALLOW ? 1 : 0;
            frames++;
        } while (verdict != MessageRate.Verdict.CLOSE && frames < 1_000);
        assertThat(verdict).isEqualTo(MessageRate.Verdict.CLOSE);
        assertThat(allowed).isEqualTo(250);
        assertThat(frames).isEqualTo(250 + 51);
    }

    @Test
    void aSteadySenderAtTheRateIsNeverRefused() {
        MessageRate rate = new MessageRate(50, 5, 0);
        for (int i = 1; i <= 1_000; i++) {
            assertThat(rate.next(i * 20 * MS)).isEqualTo(MessageRate.Verdict.ALLOW);
        }
    }

    /**
     * The case that lost messages: a publisher pacing 28 frames a second against a limit of 50, and a server busy for
     * 3 s (twice). What it sent meanwhile waited in the socket and arrives as one burst, a microsecond apart.
     */
    @Test
    void aCompliantClientWhoseFramesArriveAsOneBurstAfterAThreeSecondPauseIsNeverRefused() {
        MessageRate rate = new MessageRate(50, 5, 0);
        List<String> refused = new ArrayList<>();
        long processed = 0;
        for (int i = 0; i < 28 * 20; i++) {
            long sent = i * S / 28;
            long arrives = sent;
            if (sent >= 5 * S && sent < 8 * S) {
                arrives = 8 * S; // the server was paused from 5 s to 8 s
            } else if (sent >= 12 * S && sent < 15 * S) {
                arrives = 15 * S; // and again, 4 s later
            }
            processed = Math.max(arrives, processed + 1_000);
            MessageRate.Verdict verdict = rate.next(processed);
            if (verdict != MessageRate.Verdict.ALLOW) {
                refused.add("frame " + i + " sent at " + sent / MS + " ms: " + verdict);
            }
        }
        assertThat(refused).isEmpty();
    }

    @Test
    void aRateOrBurstUnderOneIsRefusedNamingBoth() {
        assertThatThrownBy(() -> new MessageRate(0, 5, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rate of 0").hasMessageContaining("bursts of 5");
        assertThatThrownBy(() -> new MessageRate(50, 0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rate of 50").hasMessageContaining("bursts of 0");
    }
}
