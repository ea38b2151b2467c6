package dev.switchboard.connections.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * One warning line per interval for all dropped messages and slow consumers closed, never one per message: a busy
 * room with a slow member would otherwise flood the log. Exact counts are per group ({@code Groups.info(name)}) and in
 * the metrics ({@code switchboard_messages_dropped}, {@code switchboard_connections_slow_closed}).
 * A drop logs at once if the last line is an interval old; otherwise its count waits for {@link #flush}, which the
 * sender watchdog calls, so a count is never held back for want of a later drop.
 */
final class DropLog {

    private static final Logger LOG = Logger.getLogger(DropLog.class.getName());
    static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private static final DropLog SHARED = new DropLog(System.nanoTime(), LOG::warning);

    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong closed = new AtomicLong();
    private final AtomicLong last;
    private final Consumer<String> sink;

    /**
     * @param startNanos the clock's reading now: the first count is logged at once
     * @param sink where the lines go
     */
    DropLog(long startNanos, Consumer<String> sink) {
        this.last = new AtomicLong(startNanos - INTERVAL_NANOS);
        this.sink = sink;
    }

    static void closed() {
        record(0, 1);
    }

    /** Counts messages dropped and connections closed for them: one report sees both. */
    static void record(int dropped, int closed) {
        SHARED.add(dropped, closed, System.nanoTime());
    }

    /** Logs the counts still waiting, if any, once the interval since the last line has passed. */
    static void flush(long nowNanos) {
        SHARED.report(nowNanos);
    }

    void add(long droppedMessages, long closedConnections, long nowNanos) {
        dropped.addAndGet(droppedMessages);
        closed.addAndGet(closedConnections);
        report(nowNanos);
    }

    void report(long nowNanos) {
        if (dropped.get() == 0 && closed.get() == 0) {
            return; // nothing to say: the interval keeps running, so the next drop is logged at once
        }
        long previous = last.get();
        if (nowNanos - previous >= INTERVAL_NANOS && last.compareAndSet(previous, nowNanos)) {
            long droppedMessages = dropped.getAndSet(0);
            long closedConnections = closed.getAndSet(0);
            sink.accept("Slow consumers: " + droppedMessages + " messages dropped and " + closedConnections
                    + " connections closed since the last report (outbox full or send timeout); "
                    + "per-group counts in Groups.info(group), totals in the switchboard_messages_dropped metric");
        }
    }
}
