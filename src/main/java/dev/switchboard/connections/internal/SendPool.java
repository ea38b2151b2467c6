package dev.switchboard.connections.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The threads that write every outbox to the network, with the container's blocking send.
 *
 * <p>Why blocking: on Liberty a blocking {@code sendText} costs the calling thread the write and nothing more, while
 * the async remote hands every completion through the TCP channel's own threads (measured here: a pool of blocking
 * senders delivered 2.6x the frames of one-in-flight async writes; see the README's Performance section). Why a pool: the
 * thread that publishes to a room of 1,000 queues 1,000 frames and returns; {@code senders} threads write them in
 * parallel, each outbox by one thread at a time, so frames keep their order.
 *
 * <p>Isolation: a client that stops reading makes a blocking write wait once its socket buffers are full, and it
 * holds that sender until the write ends. {@link #watch} (run every few tens of milliseconds) counts writes stalled
 * longer than {@link #STALL_NANOS} and adds one sender for each, so the healthy members of a room keep
 * {@code senders} threads between them; an outbox with a stalled write gets nothing more written, fills up and is
 * closed by its overflow policy or by the send timeout, which ends the write and gives the thread back. At most
 * {@link #MAX_EXTRA} senders are added: past that, stalled clients wait for the send timeout like everyone else.
 */
final class SendPool {

    /** A write taking longer than this is stalled: a healthy write to a socket with room takes microseconds. */
    static final long STALL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** How many senders may be added for stalled writes; each is a parked platform thread while it waits. */
    static final int MAX_EXTRA = 256;

    private final int senders;
    private final ThreadPoolExecutor executor;
    // One slot per sender thread, registered when the thread starts: a visit to an outbox costs two field writes, and
    // the watchdog sees which outbox each sender is writing (per thread, as an outbox may move between senders).
    private final Set<Slot> slots = ConcurrentHashMap.newKeySet();
    private final ThreadLocal<Slot> slot = new ThreadLocal<>();
    private volatile int stalled; // as the last watch saw it

    /** What one sender thread is draining now, if anything. */
    private static final class Slot {
        volatile Outbox outbox;
    }

    SendPool(int senders, ThreadFactory threads) {
        this.senders = senders;
        // An unbounded queue: outboxes wait their turn (each is queued at most once); their own bounds hold memory.
        this.executor = new ThreadPoolExecutor(senders, senders + MAX_EXTRA, 1, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), worker -> threads.newThread(() -> runSender(worker)));
        executor.prestartAllCoreThreads(); // the senders exist from the start: the figure reported is what runs
    }

    private void runSender(Runnable worker) {
        Slot mine = new Slot();
        slots.add(mine);
        slot.set(mine);
        try {
            worker.run();
        } finally {
            slots.remove(mine);
        }
    }

    /** @return the task that drains {@code outbox}: one visit of at most a batch, queued again while frames wait */
    Runnable drainer(Outbox outbox) {
        return new Runnable() {
            @Override
            public void run() {
                Slot mine = slot.get();
                mine.outbox = outbox;
                boolean more;
                try {
                    more = outbox.drainBatch();
                } finally {
                    mine.outbox = null;
                }
                if (more) {
                    executor.execute(this);
                }
            }
        };
    }

    /** Queues an outbox's {@link #drainer} when it has frames and no sender; one sender drains it at a time. */
    void schedule(Runnable drainer) {
        executor.execute(drainer);
    }

    /**
     * Ends writes in flight longer than {@code timeoutNanos} and keeps one sender per stalled write on top of
     * {@code senders}. Called periodically; looks only at outboxes being drained now.
     *
     * @return how many writes are stalled
     */
    int watch(long nowNanos, long timeoutNanos) {
        int stalled = 0;
        for (Slot s : slots) {
            Outbox outbox = s.outbox;
            if (outbox == null) {
                continue;
            }
            long age = outbox.writeAge(nowNanos);
            if (age >= timeoutNanos) {
                outbox.expireIfStuck(nowNanos, timeoutNanos);
            }
            if (age >= STALL_NANOS) {
                stalled++;
            }
        }
        this.stalled = stalled;
        int target = senders + Math.min(stalled, MAX_EXTRA);
        if (executor.getCorePoolSize() != target) {
            executor.setCorePoolSize(target); // adds threads for queued work at once; extra idle ones end after 1 s
        }
        return stalled;
    }

    /** @return senders alive now: {@code senders} plus those added for stalled writes */
    int threads() {
        return executor.getPoolSize();
    }

    /** @return writes stalled longer than {@link #STALL_NANOS} when the watchdog last looked */
    int stalled() {
        return stalled;
    }

    /** @return true if every sender the pool may have is held by a stalled write: nothing else is being written */
    boolean exhausted() {
        return stalled >= senders + MAX_EXTRA;
    }

    /** Stops taking work; writes in progress end on their own (their connections are being closed). */
    void shutdown() {
        executor.shutdown();
    }
}
