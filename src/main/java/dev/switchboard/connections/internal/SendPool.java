package dev.switchboard.connections.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
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
 * holds that sender until the write returns. {@link #watch} (run every few tens of milliseconds) counts the sender
 * threads that have been inside one write longer than {@link #STALL_NANOS} and adds one sender for each, so the
 * healthy members of a room keep {@code senders} threads between them. A thread counts as stalled for as long as it is
 * inside the container's write, whatever became of its outbox: after Switchboard closes a stalled connection, Liberty
 * keeps the write blocked for up to about 11 s (it waits for the write, then for the close frame), and a sender given
 * back before the thread is would starve everyone. At most {@link #MAX_EXTRA} senders are added: past that, stalled
 * clients wait for the send timeout like everyone else, and {@link #exhausted()} says so (liveness goes DOWN).
 */
final class SendPool {

    /** A write taking longer than this is stalled: a healthy write to a socket with room takes microseconds. */
    static final long STALL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** How many senders may be added for stalled writes; each is a parked platform thread while it waits. */
    static final int MAX_EXTRA = 256;

    private final int senders;
    private final ThreadPoolExecutor executor;
    private final Executor closer;
    // One slot per sender thread, registered when the thread starts: a write costs two volatile writes, and the
    // watchdog sees which outbox each sender is writing and since when (per thread: an outbox moves between senders).
    private final Set<Slot> slots = ConcurrentHashMap.newKeySet();
    private final ThreadLocal<Slot> slot = new ThreadLocal<>();
    private volatile int stalled; // as the last watch saw it

    /** One write under way: whose, and since when. Published whole, so the watchdog never pairs one outbox's age with
     * another outbox. */
    record Write(Outbox outbox, long since) {
    }

    /** What one sender thread is doing now. */
    static final class Slot {
        volatile Write write; // null while the thread is outside the container's write

        /** The thread is about to enter the container's write for {@code outbox}. */
        Write writing(Outbox outbox, long nowNanos) {
            Write w = new Write(outbox, nowNanos);
            write = w;
            return w;
        }

        /** The thread is back from the container's write. */
        void wrote() {
            write = null;
        }
    }

    /**
     * @param senders the threads that write when nothing is stalled
     * @param threads where sender threads come from (the container's managed thread factory)
     * @param closer where connections whose write passed the send timeout are closed (not on the watchdog: closing
     *     tells callbacks, which run the application's continuations, and may block in the container)
     */
    SendPool(int senders, ThreadFactory threads, Executor closer) {
        this.senders = senders;
        this.closer = closer;
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
                boolean more = outbox.drainBatch(slot.get());
                if (more) {
                    try {
                        schedule(this);
                    } catch (RejectedExecutionException e) { // stopping: nobody would drain it again
                        outbox.stopped(e);
                    }
                }
            }
        };
    }

    /**
     * Queues an outbox's {@link #drainer} when it has frames and no sender; one sender drains it at a time.
     *
     * @throws RejectedExecutionException once the pool is shut down (the application is stopping)
     */
    void schedule(Runnable drainer) {
        executor.execute(drainer);
    }

    /**
     * Ends writes in flight longer than {@code timeoutNanos} and keeps one sender per stalled thread on top of
     * {@code senders}. Called periodically.
     *
     * @return how many sender threads are stalled inside a write
     */
    int watch(long nowNanos, long timeoutNanos) {
        int stalled = 0;
        for (Slot s : slots) {
            Write w = s.write;
            if (w == null) {
                continue;
            }
            long age = nowNanos - w.since();
            if (age >= STALL_NANOS) {
                stalled++;
            }
            if (age >= timeoutNanos && w.outbox().claimExpiry(w.since())) {
                expire(w, age, timeoutNanos);
            }
        }
        this.stalled = stalled;
        int target = senders + Math.min(stalled, MAX_EXTRA);
        if (executor.getCorePoolSize() != target) {
            executor.setCorePoolSize(target); // adds threads for queued work at once; extra idle ones end after 1 s
        }
        return stalled;
    }

    private void expire(Write w, long age, long timeoutNanos) {
        try {
            closer.execute(() -> w.outbox().expire(w.since(), age, timeoutNanos));
        } catch (RejectedExecutionException e) { // the application is stopping: nothing else will run it
            w.outbox().expire(w.since(), age, timeoutNanos);
        }
    }

    /** @return senders alive now: {@code senders} plus those added for stalled writes */
    int threads() {
        return executor.getPoolSize();
    }

    /** @return sender threads stalled inside a write longer than {@link #STALL_NANOS} when the watchdog last looked */
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
