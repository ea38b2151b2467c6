package dev.switchboard.connections.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * One warning line per interval for all dropped messages and slow consumers closed, never one per message: a busy
 * room with a slow member would otherwise flood the log. Exact counts are per group ({@code GET /api/groups/{name}}).
 */
final class DropLog {

    private static final Logger LOG = Logger.getLogger(DropLog.class.getName());
    private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private static final AtomicLong DROPPED = new AtomicLong();
    private static final AtomicLong CLOSED = new AtomicLong();
    private static final AtomicLong LAST = new AtomicLong(System.nanoTime() - INTERVAL_NANOS);

    private DropLog() {
    }

    static void closed() {
        record(0, 1);
    }

    /** Counts messages dropped and connections closed for them: one report sees both. */
    static void record(int dropped, int closed) {
        DROPPED.addAndGet(dropped);
        CLOSED.addAndGet(closed);
        maybeLog();
    }

    private static void maybeLog() {
        long now = System.nanoTime();
        long last = LAST.get();
        if (now - last >= INTERVAL_NANOS && LAST.compareAndSet(last, now)) {
            long dropped = DROPPED.getAndSet(0);
            long closed = CLOSED.getAndSet(0);
            LOG.warning(() -> "Slow consumers: " + dropped + " messages dropped and " + closed
                    + " connections closed since the last report (outbox full or send timeout); "
                    + "per-group counts at GET /api/groups/{name}");
        }
    }
}
