package dev.switchboard.connections.internal;

import dev.switchboard.SwitchboardException;
import dev.switchboard.connections.Overflow;
import dev.switchboard.connections.OutboxFullException;
import dev.switchboard.connections.SlowConsumerException;
import jakarta.websocket.CloseReason;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One connection's queue of outgoing frames.
 *
 * <p>Concurrency contract: {@link #offer} may be called from any number of threads and never waits for the network:
 * it queues the frame and returns. The outbox is written by one {@link SendPool} sender at a time, with the
 * container's blocking send, in the order the {@code offer} calls took the lock; a sender writes at most
 * {@link #BATCH} frames before the outbox goes to the back of the pool's queue, so one busy connection cannot hold a
 * sender while others wait. Every frame's {@link FrameCallback} is told exactly once, on the sender's thread (or on
 * the caller's, when the frame is refused).
 *
 * <p>Bounds: at most {@code maxMessages} live frames and {@code maxBytes} bytes (UTF-8) wait, not counting the one
 * being written. A live frame that would pass either bound is handled by the caller's {@link Overflow} policy.
 * Replayed history frames ({@link #replay}) are not counted against the bounds: they are shared with the group's
 * history, which has bounds of its own, and counting them would make a resuming client overflow on its first live
 * message.
 *
 * <p>A write that fails, or is still going after the send timeout ({@link #expireIfStuck}), fails every queued frame
 * and closes the transport: a connection that cannot keep up is ended, not left to hold memory. {@link #close} is
 * idempotent.
 */
final class Outbox {

    /** Frames one sender writes before the outbox yields its turn. */
    static final int BATCH = 64;

    /** Where frames go: in production a WebSocket session's basic (blocking) remote. */
    interface Transport {
        /** Writes one text frame; returns once the container has written it, throws if it cannot. */
        void write(String text) throws IOException;

        /** Closes the connection; must not block the caller (a stalled client cannot take a close frame). */
        void abort(CloseReason.CloseCode code, String reason);
    }

    private final String owner;
    private final Transport transport;
    private final SendPool pool;
    private final Runnable drain;
    private final int maxMessages;
    private final long maxBytes;

    // All guarded by this.
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private int liveMessages;
    private long liveBytes;
    private boolean scheduled;             // queued in the pool or being drained by a sender
    private Pending inFlight;              // being written, or written and told, until the sender takes the next
    private long inFlightSince;            // System.nanoTime() when inFlight was handed to the transport
    private SwitchboardException closed;   // non-null once closed
    private CompletableFuture<Void> drained;

    Outbox(String owner, Transport transport, SendPool pool, int maxMessages, long maxBytes) {
        this.owner = owner;
        this.transport = transport;
        this.pool = pool;
        this.drain = pool.drainer(this);
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
    }

    /**
     * Queues a live frame; {@code callback} is told when it is written, dropped or failed. Never blocks on the network.
     *
     * @param overflow what to do if the outbox is at a bound
     */
    void offer(Frame frame, FrameCallback callback, Overflow overflow) {
        List<Pending> evicted = List.of();
        SwitchboardException refused = null;
        boolean start = false;
        synchronized (this) {
            if (closed != null) {
                refused = refusedAsClosed();
            } else {
                String full = fullness(frame);
                if (full == null) {
                    start = enqueue(new Pending(frame, callback, false));
                } else if (overflow == Overflow.DROP_OLDEST && liveMessages > 0 && frame.bytes() <= maxBytes) {
                    evicted = new ArrayList<>(1);
                    while (fullness(frame) != null && liveMessages > 0) {
                        evicted.add(removeOldestLive()); // a large frame may need several small ones gone
                    }
                    if (fullness(frame) == null) {
                        start = enqueue(new Pending(frame, callback, false));
                    } else {
                        refused = new OutboxFullException(dropped("newest", full), Overflow.DROP_OLDEST);
                    }
                } else {
                    refused = new OutboxFullException(
                            overflow == Overflow.CLOSE ? "closing: " + full : dropped("newest", full), overflow);
                }
            }
        }
        if (!evicted.isEmpty()) { // told outside the lock, like every other callback
            OutboxFullException why = new OutboxFullException(dropped("oldest", fullnessText()), Overflow.DROP_OLDEST);
            for (Pending p : evicted) {
                p.finish(why);
            }
            DropLog.record(evicted.size(), 0);
        }
        if (refused != null) {
            callback.done(owner, refused);
            if (refused instanceof OutboxFullException full) {
                boolean closing = full.overflow() == Overflow.CLOSE;
                DropLog.record(1, closing ? 1 : 0);
                if (closing) {
                    end(full, CloseReason.CloseCodes.TRY_AGAIN_LATER, full.getMessage());
                }
            }
            return;
        }
        if (start) {
            pool.schedule(drain);
        }
    }

    /** Queues a frame from the group's history; not counted against the bounds, refused only once closed. */
    void replay(Frame frame, FrameCallback callback) {
        boolean start;
        synchronized (this) {
            if (closed != null) {
                start = false;
            } else {
                start = enqueue(new Pending(frame, callback, true));
                callback = null;
            }
        }
        if (callback != null) {
            callback.done(owner, refusedAsClosed());
        } else if (start) {
            pool.schedule(drain);
        }
    }

    /** @return why a frame offered after the close is refused (the cause says why the outbox closed) */
    private synchronized SwitchboardException refusedAsClosed() {
        return new SwitchboardException("connection " + owner + " is closed: " + closed.getMessage(), closed);
    }

    /** @return true if the caller must start the drain */
    private boolean enqueue(Pending pending) {
        queue.add(pending);
        if (!pending.replayed) {
            liveMessages++;
            liveBytes += pending.frame.bytes();
        }
        if (scheduled) {
            return false;
        }
        scheduled = true;
        return true;
    }

    private Pending removeOldestLive() {
        for (Iterator<Pending> it = queue.iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (!p.replayed) {
                it.remove();
                liveMessages--;
                liveBytes -= p.frame.bytes();
                return p;
            }
        }
        throw new IllegalStateException("no live frame to drop");
    }

    /** @return null if {@code frame} fits, else which bound it would pass, with the limit and the value seen */
    private String fullness(Frame frame) {
        if (liveMessages >= maxMessages) {
            return "outbox of connection " + owner + " holds " + liveMessages
                    + " messages, the limit switchboard.outbox.max-messages is " + maxMessages;
        }
        if (liveBytes + frame.bytes() > maxBytes) {
            return "outbox of connection " + owner + " holds " + liveBytes + " bytes and the next message has "
                    + frame.bytes() + ", the limit switchboard.outbox.max-bytes is " + maxBytes;
        }
        return null;
    }

    private synchronized String fullnessText() {
        return "outbox of connection " + owner + " holds " + liveMessages + " messages and " + liveBytes
                + " bytes, the limits are " + maxMessages + " messages and " + maxBytes + " bytes";
    }

    private static String dropped(String which, String why) {
        return "dropped the " + which + " message: " + why;
    }

    /** @return how long the current write has been going, or 0 if none is */
    synchronized long writeAge(long nowNanos) {
        return inFlight == null || inFlight.isDone() ? 0 : nowNanos - inFlightSince;
    }

    /** @return live frames waiting, not counting the one in flight or replayed ones */
    synchronized int size() {
        return liveMessages;
    }

    /** @return live bytes waiting, not counting the frame in flight or replayed ones */
    synchronized long bytes() {
        return liveBytes;
    }

    /** @return completes once nothing is queued or in flight (at once if that is already so) */
    synchronized CompletionStage<Void> whenDrained() {
        if (closed != null || (!scheduled && queue.isEmpty())) {
            return CompletableFuture.completedFuture(null);
        }
        if (drained == null) {
            drained = new CompletableFuture<>();
        }
        return drained;
    }

    /**
     * Ends the connection if its current write has been in flight longer than {@code timeoutNanos}.
     *
     * @return true if it was ended by this call
     */
    boolean expireIfStuck(long nowNanos, long timeoutNanos) {
        long age = writeAge(nowNanos);
        if (age == 0 || age < timeoutNanos) {
            return false;
        }
        SlowConsumerException slow = new SlowConsumerException("a write to connection " + owner + " has not completed in "
                + TimeUnit.NANOSECONDS.toMillis(age) + " ms, the limit switchboard.outbox.send-timeout-ms is "
                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
        if (!end(slow, CloseReason.CloseCodes.TRY_AGAIN_LATER, slow.getMessage())) {
            return false;
        }
        DropLog.closed();
        return true;
    }

    /** Closes the outbox with {@code cause} and, if this call closed it, the connection; see {@link #close}. */
    private boolean end(SwitchboardException cause, CloseReason.CloseCode code, String reason) {
        if (!close(cause)) {
            return false;
        }
        transport.abort(code, reason);
        return true;
    }

    /**
     * Fails the frame in flight and every queued frame with {@code cause}; later offers are refused. Idempotent.
     *
     * @return true if this call closed it
     */
    boolean close(SwitchboardException cause) {
        List<Pending> dropped;
        CompletableFuture<Void> idle;
        synchronized (this) {
            if (closed != null) {
                return false;
            }
            closed = cause;
            dropped = new ArrayList<>(queue.size() + 1);
            if (inFlight != null) {
                dropped.add(inFlight);
            }
            dropped.addAll(queue);
            queue.clear();
            liveMessages = 0;
            liveBytes = 0;
            idle = drained;
            drained = null;
        }
        for (Pending p : dropped) {
            p.finish(cause);
        }
        if (idle != null) {
            idle.complete(null);
        }
        return true;
    }

    /**
     * Run by a sender ({@link SendPool#drainer}): writes up to {@link #BATCH} frames.
     *
     * @return true if frames are left and this outbox must be queued again, behind the other outboxes
     */
    boolean drainBatch() {
        for (int written = 0; ; written++) {
            Pending next;
            CompletableFuture<Void> idle = null;
            synchronized (this) {
                inFlight = null;
                next = closed == null && written < BATCH ? queue.poll() : null;
                if (next == null) {
                    if (closed == null && !queue.isEmpty()) {
                        return true; // still scheduled
                    }
                    scheduled = false;
                    idle = drained;
                    drained = null;
                } else {
                    if (!next.replayed) {
                        liveMessages--;
                        liveBytes -= next.frame.bytes();
                    }
                    inFlight = next;
                    inFlightSince = System.nanoTime();
                }
            }
            if (next == null) {
                if (idle != null) {
                    idle.complete(null);
                }
                return false;
            }
            try {
                transport.write(next.frame.text());
            } catch (IOException | RuntimeException e) { // e.g. IllegalStateException from a session that just closed
                end(new SwitchboardException("write to connection " + owner + " failed: " + e, e),
                        CloseReason.CloseCodes.UNEXPECTED_CONDITION, "write failed: " + e.getMessage());
                return false; // close() failed this frame (still in flight) and every queued one
            }
            next.finish(null);
        }
    }

    /** A queued frame and whom to tell how it ended. */
    private final class Pending extends AtomicBoolean {
        private static final long serialVersionUID = 1L;
        final Frame frame;
        final FrameCallback callback;
        final boolean replayed;

        Pending(Frame frame, FrameCallback callback, boolean replayed) {
            this.frame = frame;
            this.callback = callback;
            this.replayed = replayed;
        }

        /** Tells the callback, the first time only (a write can end by completing and by the outbox closing). */
        void finish(Throwable failure) {
            if (compareAndSet(false, true)) {
                callback.done(owner, failure);
            }
        }

        boolean isDone() {
            return get();
        }
    }
}
