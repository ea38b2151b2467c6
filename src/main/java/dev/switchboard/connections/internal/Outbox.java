package dev.switchboard.connections.internal;

import dev.switchboard.SwitchboardException;
import dev.switchboard.connections.Overflow;
import dev.switchboard.connections.OutboxFullException;
import dev.switchboard.connections.SlowConsumerException;
import jakarta.websocket.CloseReason;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One connection's queue of outgoing frames.
 *
 * <p>Concurrency contract: {@link #offer} may be called from any number of threads and never waits for the network:
 * it queues the frame and returns. At most one frame is in flight on the transport at a time, and frames are written
 * in the order their {@code offer} calls took the lock. The thread that finds the outbox idle starts the write; each
 * completion starts the next. A completion the transport reports inline (on the caller's stack) is trampolined, so the
 * stack never grows with the queue. Every frame's {@link FrameCallback} is told exactly once.
 *
 * <p>Bounds: at most {@code maxMessages} live frames and {@code maxBytes} bytes (UTF-8) wait, not counting the one in
 * flight. A live frame that would pass either bound is handled by the caller's {@link Overflow} policy. Replayed
 * history frames ({@link #replay}) are not counted against the bounds: they are shared with the group's history,
 * which has bounds of its own, and counting them would make a resuming client overflow on its first live message.
 *
 * <p>A write that fails, or is still in flight after the send timeout ({@link #expireIfStuck}), fails every queued
 * frame and closes the transport: a connection that cannot keep up is ended, not left to hold memory. {@link #close}
 * is idempotent.
 */
final class Outbox {

    /** Where frames go: in production a WebSocket session's async remote. */
    interface Transport {
        void send(String text, SendHandler handler);

        /** Closes the connection; must not block the caller (a stalled client cannot take a close frame). */
        void abort(CloseReason.CloseCode code, String reason);
    }

    private final String owner;
    private final Transport transport;
    private final int maxMessages;
    private final long maxBytes;

    // All guarded by this.
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private int liveMessages;
    private long liveBytes;
    private boolean writing;               // a frame is in flight, or a drain loop is running
    private Pending inFlight;
    private long inFlightSince;            // System.nanoTime() when inFlight was handed to the transport
    private SwitchboardException closed;   // non-null once closed
    private CompletableFuture<Void> drained;

    Outbox(String owner, Transport transport, int maxMessages, long maxBytes) {
        this.owner = owner;
        this.transport = transport;
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
    }

    /**
     * Queues a live frame; {@code callback} is told when it is written, dropped or failed. Never blocks on the network.
     *
     * @param overflow what to do if the outbox is at a bound
     */
    void offer(Frame frame, FrameCallback callback, Overflow overflow) {
        Pending evicted = null;
        SwitchboardException refused = null;
        boolean start = false;
        synchronized (this) {
            if (closed != null) {
                refused = new SwitchboardException("connection " + owner + " is closed: " + closed.getMessage(), closed);
            } else {
                String full = fullness(frame);
                if (full == null) {
                    start = enqueue(new Pending(frame, callback, false));
                } else if (overflow == Overflow.DROP_OLDEST && liveMessages > 0 && frame.bytes() <= maxBytes) {
                    evicted = removeOldestLive();
                    while (fullness(frame) != null && liveMessages > 0) {
                        Pending more = removeOldestLive(); // a large frame may need several small ones gone
                        more.finish(new OutboxFullException(dropped("oldest", full), Overflow.DROP_OLDEST));
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
        if (evicted != null) {
            evicted.finish(new OutboxFullException(dropped("oldest", fullnessText()), Overflow.DROP_OLDEST));
            DropLog.dropped();
        }
        if (refused != null) {
            callback.done(refused);
            if (refused instanceof OutboxFullException full) {
                boolean closing = full.overflow() == Overflow.CLOSE;
                DropLog.record(1, closing ? 1 : 0);
                if (closing) {
                    close(full);
                    transport.abort(CloseReason.CloseCodes.TRY_AGAIN_LATER, full.getMessage());
                }
            }
            return;
        }
        if (start) {
            drain();
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
            SwitchboardException cause = closed();
            callback.done(new SwitchboardException("connection " + owner + " is closed: " + cause.getMessage(), cause));
        } else if (start) {
            drain();
        }
    }

    private synchronized SwitchboardException closed() {
        return closed;
    }

    /** @return true if the caller must start the drain */
    private boolean enqueue(Pending pending) {
        queue.add(pending);
        if (!pending.replayed) {
            liveMessages++;
            liveBytes += pending.frame.bytes();
        }
        if (writing) {
            return false;
        }
        writing = true;
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
        if (closed != null || (!writing && queue.isEmpty())) {
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
        long since;
        synchronized (this) {
            if (inFlight == null || closed != null || nowNanos - inFlightSince < timeoutNanos) {
                return false;
            }
            since = inFlightSince;
        }
        SlowConsumerException slow = new SlowConsumerException("a write to connection " + owner + " has not completed in "
                + TimeUnit.NANOSECONDS.toMillis(nowNanos - since) + " ms, the limit switchboard.outbox.send-timeout-ms is "
                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
        close(slow);
        DropLog.closed();
        transport.abort(CloseReason.CloseCodes.TRY_AGAIN_LATER, slow.getMessage());
        return true;
    }

    /** Fails the frame in flight and every queued frame with {@code cause}; later offers are refused. Idempotent. */
    void close(SwitchboardException cause) {
        List<Pending> dropped;
        CompletableFuture<Void> idle;
        synchronized (this) {
            if (closed != null) {
                return;
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
    }

    private void drain() {
        while (true) {
            Pending next;
            CompletableFuture<Void> idle = null;
            synchronized (this) {
                next = closed == null ? queue.poll() : null;
                inFlight = next;
                if (next == null) {
                    writing = false;
                    idle = drained;
                    drained = null;
                } else {
                    if (!next.replayed) {
                        liveMessages--;
                        liveBytes -= next.frame.bytes();
                    }
                    inFlightSince = System.nanoTime();
                }
            }
            if (next == null) {
                if (idle != null) {
                    idle.complete(null);
                }
                return;
            }
            try {
                transport.send(next.frame.text(), next);
            } catch (RuntimeException e) { // e.g. IllegalStateException from a session that just closed
                next.onResult(new SendResult(e));
                return;
            }
            if ((next.getAndUpdate(s -> s | CALLER_RETURNED) & DONE_INLINE) == 0) {
                return; // the completion handler will carry the drain on
            }
            // completed inline: continue here instead of recursing from the handler
        }
    }

    private void failed(Throwable error) {
        SwitchboardException cause = new SwitchboardException("write to connection " + owner + " failed: " + error,
                error);
        close(cause);
        transport.abort(CloseReason.CloseCodes.UNEXPECTED_CONDITION, "write failed: " + error.getMessage());
    }

    // Pending state bits.
    private static final int CALLER_RETURNED = 1;
    private static final int DONE_INLINE = 2;
    private static final int FINISHED = 4;

    /** A queued frame; once sent it is also the send's handler (one object per frame per connection). */
    private final class Pending extends AtomicInteger implements SendHandler {
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
            if ((getAndUpdate(s -> s | FINISHED) & FINISHED) == 0) {
                callback.done(failure);
            }
        }

        @Override
        public void onResult(SendResult result) {
            if (!result.isOK()) {
                Throwable error = result.getException();
                finish(new SwitchboardException("write to connection " + owner + " failed: " + error, error));
                failed(error);
                getAndUpdate(s -> s | DONE_INLINE); // the drain ends: close() left nothing to write
                return;
            }
            finish(null);
            if ((getAndUpdate(s -> s | DONE_INLINE) & CALLER_RETURNED) != 0) {
                drain(); // the caller already returned: this handler carries the drain on
            }
        }
    }
}
