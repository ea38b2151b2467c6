package dev.switchboard.connections.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/** The rate limit over arbitrary rates, bursts, paces and pauses. */
class MessageRatePropertyTest {

    private static final long S = TimeUnit.SECONDS.toNanos(1);
    private static final long US = TimeUnit.MICROSECONDS.toNanos(1);

    /**
     * A client that keeps under the rate is never refused through a server pause of up to {@code burst - 1} seconds:
     * what it sent meanwhile arrives at the pause's end, a microsecond apart, then it goes on at its pace. (At exactly
     * the rate a client has no slack at all: the frames of a burst are taken a little after they were due, and the
     * bucket never gains that back.)
     */
    @Property(tries = 2_000)
    void aCompliantClientIsNeverRefusedThroughAPauseShorterThanTheBurst(
            @ForAll @IntRange(min = 1, max = 2_000) int perSecond, @ForAll @IntRange(min = 2, max = 10) int burst,
            @ForAll @DoubleRange(min = 0.05, max = 0.95) double pace, @ForAll @DoubleRange(min = 0, max = 5) double start,
            @ForAll @DoubleRange(min = 0, max = 1) double pauseShare) {
        double framesPerSecond = perSecond * pace;
        long pauseFrom = (long) (start * S);
        long pauseTo = pauseFrom + (long) (pauseShare * (burst - 1) * S);
        long end = pauseTo + 3 * S;
        MessageRate rate = new MessageRate(perSecond, burst, 0);
        long processed = 0;
        for (long i = 0; ; i++) {
            long sent = (long) (i * S / framesPerSecond);
            if (sent > end) {
                break;
            }
            long arrives = sent >= pauseFrom && sent < pauseTo ? pauseTo : sent;
            processed = Math.max(arrives, processed + US);
            assertThat(rate.next(processed)).as("frame %d sent at %d ns, processed at %d ns", i, sent, processed)
                    .isEqualTo(MessageRate.Verdict.ALLOW);
        }
    }

    /** A flood at twice the rate or more is closed within the burst and two seconds. */
    @Property(tries = 1_000)
    void aFloodIsClosedWithinTheBurstAndTwoSeconds(@ForAll @IntRange(min = 1, max = 2_000) int perSecond,
            @ForAll @IntRange(min = 1, max = 10) int burst, @ForAll @DoubleRange(min = 2, max = 100) double times) {
        MessageRate rate = new MessageRate(perSecond, burst, 0);
        double framesPerSecond = perSecond * times;
        long deadline = (burst + 2) * S;
        long t = 0;
        for (long i = 1; t <= deadline; i++) {
            t = (long) (i * S / framesPerSecond);
            if (rate.next(t) == MessageRate.Verdict.CLOSE) {
                return;
            }
        }
        throw new AssertionError("not closed by " + deadline + " ns");
    }
}
