package dev.switchboard.connections.internal;

import java.util.concurrent.TimeUnit;

/**
 * A token bucket per connection: {@code perSecond} frames a second, in bursts of up to {@code burstSeconds} seconds'
 * worth. The burst is what lets a client that keeps under the rate through a pause of the server: the frames it sent
 * meanwhile wait in the socket and arrive together when the server takes them up again. Frames over the rate are
 * dropped; an episode of drops starts with one warning and ends after a second without drops, and a client that has
 * more than {@code perSecond} frames dropped in one episode is closed: a flood at any multiple of the rate ends about a
 * second after it has used up the burst. Not thread safe: a container delivers one connection's messages one at a
 * time.
 */
final class MessageRate {

    /** What to do with a frame. */
    enum Verdict {
        /** Within the rate. */
        ALLOW,
        /** Over the rate: drop it and tell the client, once per episode. */
        WARN,
        /** Over the rate: drop it silently (the client was told). */
        DROP,
        /** Over the rate for a further second's worth of frames: close the connection. */
        CLOSE
    }

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final int perSecond;
    private final double capacity;
    private double tokens;
    private long last;
    private int strikes;
    private long lastDrop;

    MessageRate(int perSecond, int burstSeconds, long nowNanos) {
        if (perSecond < 1 || burstSeconds < 1) {
            throw new IllegalArgumentException("a rate of " + perSecond + " frames a second in bursts of "
                    + burstSeconds + " seconds' worth: both must be at least 1");
        }
        this.perSecond = perSecond;
        this.capacity = (double) perSecond * burstSeconds;
        this.tokens = capacity;
        this.last = nowNanos;
    }

    Verdict next(long nowNanos) {
        tokens = Math.min(capacity, tokens + (double) (nowNanos - last) * perSecond / SECOND);
        last = nowNanos;
        if (tokens >= 1) {
            tokens -= 1;
            return Verdict.ALLOW;
        }
        if (strikes > 0 && nowNanos - lastDrop > SECOND) {
            strikes = 0; // a second without drops ended the last episode
        }
        lastDrop = nowNanos;
        strikes++;
        if (strikes == 1) {
            return Verdict.WARN;
        }
        return strikes > perSecond ? Verdict.CLOSE : Verdict.DROP;
    }

    int perSecond() {
        return perSecond;
    }
}
