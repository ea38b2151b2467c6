package dev.switchboard.connections.internal;

import dev.switchboard.SwitchboardException;
import dev.switchboard.connections.OutboxFullException;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One connection's queue of outgoing frames.
 *
 * <p>Concurrency contract: {@link #offer} may be called from any number of threads and never waits for the network:
 * it queues the frame and returns. At most one frame is in flight on the transport at a time, and frames are written
 * in the order their {@code offer} calls took the lock. The thread that finds the outbox idle starts the write; each
 * completion starts the next. A completion the transport reports inline (on the caller's stack) is trampolined, so the
 * stack never grows with the queue.
 *
 * <p>Bounds: at most {@code maxMessages} frames and {@code maxBytes} bytes (UTF-8) wait, not counting the one in
 * flight. A frame that would pass either bound is refused: its {@link FrameCallback} gets an {@link OutboxFullException}
 * quoting the bound, and nothing already queued is dropped.
 *
 * <p>A write that fails (including a container send timeout) fails every queued frame and closes the transport: a
 * connection that cannot keep up is ended, not left to hold memory. {@link #close} is idempotent.
 */
final class Outbox {

    /** Where frames go: in production a WebSocket session's async remote. */
    interface Transport {
        void send(String text, SendHandler handler);

        void abort(String reason);
    }

    private final String owner;
    private final Transport transport;
    private final int maxMessages;
    private final long maxBytes;

    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private long queuedBytes;        // guarded by this
    private boolean writing;         // guarded by this: a frame is in flight, or a drain loop is running
    private SwitchboardException closed; // guarded by this: non-null once closed

    Outbox(String owner, Transport transport, int maxMessages, long maxBytes) {
        this.owner = owner;
        this.transport = transport;
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
    }

    /** Queues {@code frame}; {@code completion} is told when it is written or refused. Never blocks on the network. */
    void offer(Frame frame, FrameCallback completion) {
        SwitchboardException refused;
        synchronized (this) {
            refused = refusal(frame);
            if (refused == null) {
                queue.add(new Pending(frame, completion));
                queuedBytes += frame.bytes();
                if (writing) {
                    return;
                }
                writing = true;
            }
        }
        if (refused != null) {
            completion.done(refused);
            return;
        }
        drain();
    }

    private SwitchboardException refusal(Frame frame) {
        if (closed != null) {
            return closed;
        }
        if (queue.size() >= maxMessages) {
            return new OutboxFullException("outbox of connection " + owner + " holds " + queue.size()
                    + " messages, the limit switchboard.outbox.max-messages is " + maxMessages);
        }
        if (queuedBytes + frame.bytes() > maxBytes) {
            return new OutboxFullException("outbox of connection " + owner + " holds " + queuedBytes + " bytes and "
                    + "the next message has " + frame.bytes() + ", the limit switchboard.outbox.max-bytes is " + maxBytes);
        }
        return null;
    }

    /** @return frames waiting, not counting the one in flight */
    synchronized int size() {
        return queue.size();
    }

    /** @return bytes waiting, not counting the frame in flight */
    synchronized long bytes() {
        return queuedBytes;
    }

    /** Fails every queued frame with {@code cause}; later offers are refused with it. Idempotent. */
    void close(SwitchboardException cause) {
        ArrayDeque<Pending> dropped;
        synchronized (this) {
            if (closed != null) {
                return;
            }
            closed = cause;
            dropped = new ArrayDeque<>(queue);
            queue.clear();
            queuedBytes = 0;
        }
        for (Pending p : dropped) {
            p.completion.done(cause);
        }
    }

    private void drain() {
        while (true) {
            Pending next;
            synchronized (this) {
                next = queue.poll();
                if (next == null) {
                    writing = false;
                    return;
                }
                queuedBytes -= next.frame.bytes();
            }
            try {
                transport.send(next.frame.text(), next);
            } catch (RuntimeException e) { // e.g. IllegalStateException from a session that just closed
                next.onResult(new SendResult(e));
                return;
            }
            if (next.compareAndSet(IN_FLIGHT, CALLER_RETURNED)) {
                return; // the completion handler will continue the drain
            }
            // completed inline: continue here instead of recursing from the handler
        }
    }

    private void failed(Throwable error) {
        SwitchboardException cause = new SwitchboardException(
                "write to connection " + owner + " failed: " + error, error);
        close(cause);
        transport.abort("send failed: " + error.getMessage());
    }

    private static final int IN_FLIGHT = 0;
    private static final int CALLER_RETURNED = 1;
    private static final int DONE_INLINE = 2;

    /** A queued frame; once sent it is also the send's handler (one object per frame per connection). */
    private final class Pending extends AtomicInteger implements SendHandler {
        private static final long serialVersionUID = 1L;
        final Frame frame;
        final FrameCallback completion;

        Pending(Frame frame, FrameCallback completion) {
            this.frame = frame;
            this.completion = completion;
        }

        @Override
        public void onResult(SendResult result) {
            if (result.isOK()) {
                completion.done(null);
            } else {
                completion.done(new SwitchboardException("write to connection " + owner + " failed: "
                        + result.getException(), result.getException()));
                synchronized (Outbox.this) {
                    writing = false; // nothing more will be written; close() below fails the rest
                }
                failed(result.getException());
                set(DONE_INLINE);
                return;
            }
            if (!compareAndSet(IN_FLIGHT, DONE_INLINE)) {
                drain(); // the caller already returned: this handler carries the drain on
            }
        }
    }
}
