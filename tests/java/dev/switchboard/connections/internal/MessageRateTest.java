package dev.switchboard.connections.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MessageRateTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void aBurstUpToTheRateIsAllowedThenOneWarningThenDropsThenClose() {
        MessageRate rate = new MessageRate(10, 0);
        for (int i = 0; i < 10; i++) {
            assertThat(rate.next(0)).isEqualTo(MessageRate.Verdict.ALLOW);
        }
        assertThat(rate.next(0)).isEqualTo(MessageRate.Verdict.WARN);
        for (int i = 0; i < 9; i++) {
            assertThat(rate.next(0)).isEqualTo(MessageRate.Verdict.DROP);
        }
        assertThat(rate.next(0)).isEqualTo(MessageRate.Verdict.CLOSE);
    }

    @Test
    void tokensComeBackWithTimeAndASecondWithoutDropsEndsTheEpisode() {
        MessageRate rate = new MessageRate(10, 0);
        for (int i = 0; i < 10; i++) {
            rate.next(0);
        }
        assertThat(rate.next(0)).isEqualTo(MessageRate.Verdict.WARN);
        assertThat(rate.next(100 * MS)).isEqualTo(MessageRate.Verdict.ALLOW); // one token after 100 ms
        assertThat(rate.next(100 * MS)).as("same episode").isEqualTo(MessageRate.Verdict.DROP);
        assertThat(rate.next(1_500 * MS)).isEqualTo(MessageRate.Verdict.ALLOW);
        for (int i = 0; i < 9; i++) {
            rate.next(1_500 * MS);
        }
        assertThat(rate.next(1_500 * MS)).as("a new episode warns again").isEqualTo(MessageRate.Verdict.WARN);
    }

    @Test
    void aFloodAtTwiceTheRateIsClosedWithinAboutASecondAlthoughTokensKeepComing() {
        MessageRate rate = new MessageRate(100, 0);
        MessageRate.Verdict verdict = MessageRate.Verdict.ALLOW;
        long t = 0;
        int frames = 0;
        while (verdict != MessageRate.Verdict.CLOSE && frames < 10_000) {
            t += 5 * MS; // 200 frames a second
            verdict = rate.next(t);
            frames++;
        }
        assertThat(verdict).isEqualTo(MessageRate.Verdict.CLOSE);
        assertThat(t).isLessThan(3_000 * MS);
    }

    @Test
    void aSteadySenderAtTheRateIsNeverRefused() {
        MessageRate rate = new MessageRate(50, 0);
        for (int i = 1; i <= 1_000; i++) {
            assertThat(rate.next(i * 20 * MS)).isEqualTo(MessageRate.Verdict.ALLOW);
        }
    }
}
