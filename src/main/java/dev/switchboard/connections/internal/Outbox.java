package dev.switchboard.connections.internal;

import dev.switchboard.internal.delivery.OutboxLimits;
import dev.switchboard.internal.delivery.Frame;
import dev.switchboard.internal.delivery.FrameSource;
import dev.switchboard.internal.delivery.Deferred;
import dev.switchboard.internal.delivery.FrameCallback;
import dev.switchboard.SwitchboardException;
import dev.switchboard.connections.ConnectionClosedException;
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
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One connection's queue of outgoing frames.
 *
 * <p>Concurrency contract: {@link #offer} may be called from any number of threads and never waits for the network:
 * it queues the frame and returns. The outbox is written by one {@link SendPool} sender at a time, with the
 * container's blocking send, in the order the {@code offer} calls took the lock; a sender writes at most
 * {@link #BATCH} messages before the outbox goes to the back of the pool's queue, so one busy connection cannot hold a
 * sender while others wait. Every frame's {@link FrameCallback} is told exactly once: on the sender's thread when it
 * was written or its write failed, else through the caller's {@link Deferred}, that is after the caller let go of
 * its locks (a group send holds the group's monitor while it offers).
 *
 * <p>Bounds: at most {@code maxMessages} live frames and {@code maxBytes} bytes (UTF-8) wait, not counting the one
 * being written. A live frame that would pass either bound is handled by the caller's {@link Overflow} policy, within
 * the frame's lane (its group): {@code DROP_OLDEST} only ever drops an older frame of the same lane. A frame larger
 * than {@code maxBytes} is refused by itself; it closes nothing. A resume's history ({@link #resume}) is pulled from
 * its {@link FrameSource} a batch at a time as the sender reaches it, so it holds no memory here.
 *
 * <p>Joined frames ({@code joinBytes > 0}, the connection asked for the {@code switchboard.batch} subprotocol): when
 * the sender finds more than one message waiting, it writes those that are already queued as one WebSocket frame, one
 * message per line, at most {@code joinBytes} bytes (a larger message goes alone). Such a client reads every frame as
 * lines, so a message's own line feeds are written as spaces ({@link Frame#line}), alone or joined. A
 * lone message is written at once, never held back to wait for company: joining only saves writes while a connection
 * is behind. Liberty makes one system call per frame, so this is where a busy room's time goes.
 *
 * <p>A write that fails, or is still going after the send timeout ({@link #expire}), fails every queued frame and
 * closes the transport: a connection that cannot keep up is ended, not left to hold memory. {@link #close} is
 * idempotent.
 */
final class Outbox {

    /** Messages one sender writes before the outbox yields its turn (and most messages joined in one frame). */
    static final int BATCH = 64;

    private static final FrameCallback IGNORE = (connection, failure) -> { };

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
    private Runnable drain; // set once by open(), before the outbox is published
    private final int maxMessages;
    private final long maxBytes;
    private final int joinBytes; // 0: one message per frame

    // All guarded by this.
    // Room for one at first: most outboxes of an idle server are empty (the default's 16 slots cost 64 B more).
    private final ArrayDeque<Pending> queue = new ArrayDeque<>(1);
    private int liveMessages;
    private long liveBytes;
    private boolean scheduled;             // queued in the pool or being drained by a sender
    private List<Pending> inFlight;        // being written (one frame), or written and told, until the next write
    private long inFlightSince;            // when inFlight's write began, as the sender's slot published it
    private long expiryClaimed;            // the inFlightSince the watchdog has already handed to the closer
    private SwitchboardException closed;   // non-null once closed
    private CompletableFuture<Void> drained;

    private Outbox(String owner, Transport transport, SendPool pool, int maxMessages, long maxBytes, int joinBytes) {
        this.owner = owner;
        this.transport = transport;
        this.pool = pool;
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
        this.joinBytes = joinBytes;
    }

    /** @return a new, empty outbox writing one message per frame; see {@link #open(String, Transport, SendPool, int,
     *     long, int)} */
    static Outbox open(String owner, Transport transport, SendPool pool, int maxMessages, long maxBytes) {
        return open(owner, transport, pool, maxMessages, maxBytes, 0);
    }

    /**
     * @param joinBytes most bytes of one frame that joins waiting messages, one per line; 0 for one message per frame
     * @return a new, empty outbox, drained by {@code pool} (registered after construction: no {@code this} escapes)
     */
    static Outbox open(String owner, Transport transport, SendPool pool, int maxMessages, long maxBytes,
            int joinBytes) {
        Outbox outbox = new Outbox(owner, transport, pool, maxMessages, maxBytes, joinBytes);
        outbox.drain = pool.drainer(outbox);
        return outbox;
    }

    /**
     * Queues a live frame; {@code callback} is told when it is written, dropped or failed. Never blocks on the network.
     *
     * @param overflow what to do if the outbox is at a bound
     * @param lane what the frame belongs to (its group; null for a frame sent to the connection itself): an overflow
     *     policy only ever drops frames of its own lane
     * @param later where callbacks and closes go that must wait until the caller let go of its locks
     */
    void offer(Frame frame, FrameCallback callback, Overflow overflow, Object lane, Deferred later) {
        List<Pending> evicted = List.of();
        OutboxFullException refused = null;
        boolean start = false;
        boolean closing = false;
        synchronized (this) {
            if (closed != null) {
                SwitchboardException why = refusedAsClosed();
                later.add(() -> callback.done(owner, why));
                return;
            }
            String full = fullness(frame);
            switch (Admission.of(full == null, frame.bytes() > maxBytes, overflow)) {
                case QUEUE -> start = enqueue(new Pending(frame, callback, lane, null));
                case REFUSE -> refused = frame.bytes() > maxBytes
                        ? full(message("dropped a message larger than the outbox: " + full), Overflow.DROP_NEWEST,
                                frame.bytes())
                        : full(message("dropped the newest message: " + full), overflow, liveBytes);
                case EVICT_OLDEST -> {
                    evicted = new ArrayList<>(1);
                    Pending oldest;
                    while (fullness(frame) != null && (oldest = removeOldestLive(lane)) != null) {
                        evicted.add(oldest); // a large frame may need several small ones gone
                    }
                    if (fullness(frame) == null) {
                        start = enqueue(new Pending(frame, callback, lane, null));
                    } else { // only other lanes' frames are left to drop
                        refused = full(message("dropped the newest message: " + full), Overflow.DROP_OLDEST,
                                liveBytes);
                    }
                }
                case CLOSE -> {
                    refused = full(message("closing, " + full), overflow, liveBytes);
                    closing = true;
                }
            }
        }
        if (!evicted.isEmpty()) {
            OutboxFullException why;
            synchronized (this) {
                why = full(message("dropped the oldest message: " + fullnessText()), Overflow.DROP_OLDEST, liveBytes);
            }
            for (Pending p : evicted) {
                later.add(() -> p.finish(why));
            }
            DropLog.record(evicted.size(), 0);
        }
        if (refused != null) {
            OutboxFullException why = refused;
            later.add(() -> callback.done(owner, why));
            DropLog.record(1, closing ? 1 : 0);
            if (closing) {
                end(refused, CloseReason.CloseCodes.TRY_AGAIN_LATER, "outbox full: " + fullnessShort(), later);
            }
            return;
        }
        if (start) {
            schedule(later);
        }
    }

    /**
     * Queues a connection's resume: the frames {@code source} gives, pulled a batch at a time when the sender gets to
     * them, before any frame offered after this call.
     */
    void resume(FrameSource source, Deferred later) {
        boolean start;
        synchronized (this) {
            if (closed != null) {
                return;
            }
            start = enqueue(new Pending(null, IGNORE, null, source));
        }
        if (start) {
            schedule(later);
        }
    }

    private void schedule(Deferred later) {
        try {
            pool.schedule(drain);
        } catch (RejectedExecutionException e) { // the senders are stopped: the application is going away
            close(new ConnectionClosedException("connection " + owner + ": the application is stopping",
                    CloseReason.CloseCodes.GOING_AWAY.getCode(), e), later);
        }
    }

    /** @return why a frame offered after the close is refused (the cause says why the outbox closed) */
    private synchronized SwitchboardException refusedAsClosed() {
        if (closed instanceof ConnectionClosedException why) {
            return new ConnectionClosedException(why.getMessage(), why.closeCode(), why.getCause());
        }
        int code = closed instanceof SlowConsumerException || closed instanceof OutboxFullException
                ? SlowConsumerException.CLOSE_CODE : CloseReason.CloseCodes.CLOSED_ABNORMALLY.getCode();
        return new ConnectionClosedException("connection " + owner + " is closed: " + closed.getMessage(), code,
                closed);
    }

    /** @return true if the caller must start the drain */
    private boolean enqueue(Pending pending) {
        queue.add(pending);
        if (pending.live()) {
            liveMessages++;
            liveBytes += pending.frame.bytes();
        }
        if (scheduled) {
            return false;
        }
        scheduled = true;
        return true;
    }

    private Pending removeOldestLive(Object lane) {
        for (Iterator<Pending> it = queue.iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (p.live() && p.lane == lane) {
                it.remove();
                liveMessages--;
                liveBytes -= p.frame.bytes();
                return p;
            }
        }
        return null;
    }

    /** @return null if {@code frame} fits, else which bound it would pass, with the limit and the value seen */
    private String fullness(Frame frame) {
        if (liveMessages >= maxMessages) {
            return liveMessages + " messages waiting, the limit " + ConnectionSettings.MAX_MESSAGES + " is " + maxMessages;
        }
        if (liveBytes + frame.bytes() > maxBytes) {
            return liveBytes + " bytes waiting and the next message has " + frame.bytes()
                    + ", the limit " + OutboxLimits.MAX_BYTES + " is " + maxBytes;
        }
        return null;
    }

    // Called holding the monitor: the counts are this moment's.
    private OutboxFullException full(String message, Overflow overflow, long bytes) {
        return new OutboxFullException(message, overflow, liveMessages, bytes, maxMessages, maxBytes);
    }

    private String message(String why) {
        return "outbox of connection " + owner + ": " + why;
    }

    private synchronized String fullnessText() {
        return liveMessages + " messages and " + liveBytes + " bytes waiting, the limits are " + maxMessages
                + " messages and " + maxBytes + " bytes";
    }

    // For the close frame, whose reason is at most 123 bytes: the value seen and the limit, nothing else.
    private synchronized String fullnessShort() {
        return liveMessages >= maxMessages
                ? liveMessages + " msgs, limit " + ConnectionSettings.MAX_MESSAGES + "=" + maxMessages
                : liveBytes + " bytes, limit " + OutboxLimits.MAX_BYTES + "=" + maxBytes;
    }

    /** @return false once closed */
    synchronized boolean isOpen() {
        return closed == null;
    }

    /** @return true the first time it is asked while this write ({@code since}) is in flight: one expiry per write */
    synchronized boolean claimExpiry(long since) {
        if (closed != null || inFlight == null || inFlightSince != since || expiryClaimed == since) {
            return false;
        }
        expiryClaimed = since;
        return true;
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
     * Ends the connection because the write that began at {@code since} has been going for {@code ageNanos}, past the
     * send timeout; nothing if that write has ended meanwhile. Run on the closer executor, never on the watchdog: it
     * tells callbacks.
     */
    void expire(long since, long ageNanos, long timeoutNanos) {
        synchronized (this) {
            if (inFlight == null || inFlightSince != since) {
                return; // that write ended; a later one is judged on its own
            }
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(ageNanos);
        long limit = TimeUnit.NANOSECONDS.toMillis(timeoutNanos);
        SlowConsumerException slow = new SlowConsumerException(message("a write has not completed in " + ms
                + " ms, the limit " + ConnectionSettings.SEND_TIMEOUT_MS + " is " + limit), ms, limit);
        if (end(slow, CloseReason.CloseCodes.TRY_AGAIN_LATER,
                "write stalled " + ms + " ms, limit " + ConnectionSettings.SEND_TIMEOUT_MS + "=" + limit, Deferred.NOW)) {
            DropLog.closed();
        }
    }

    /** Closes the outbox with {@code cause} and, if this call closed it, the connection; see {@link #close}. */
    private boolean end(SwitchboardException cause, CloseReason.CloseCode code, String reason, Deferred later) {
        if (!close(cause, later)) {
            return false;
        }
        later.add(() -> transport.abort(code, reason));
        return true;
    }

    /**
     * Fails the frame in flight and every queued frame with {@code cause}; later offers are refused. Idempotent.
     *
     * @param later where the failed frames' callbacks go
     * @return true if this call closed it
     */
    boolean close(SwitchboardException cause, Deferred later) {
        List<Pending> dropped;
        CompletableFuture<Void> idle;
        synchronized (this) {
            if (closed != null) {
                return false;
            }
            closed = cause;
            dropped = new ArrayList<>(queue.size() + 1);
            if (inFlight != null) {
                dropped.addAll(inFlight);
            }
            dropped.addAll(queue);
            queue.clear();
            liveMessages = 0;
            liveBytes = 0;
            idle = drained;
            drained = null;
        }
        for (Pending p : dropped) {
            later.add(() -> p.finish(cause));
        }
        if (idle != null) {
            later.add(() -> idle.complete(null));
        }
        return true;
    }

    /**
     * Run by a sender ({@link SendPool#drainer}): writes up to {@link #BATCH} messages.
     *
     * @param slot the sender's slot, told when the thread enters and leaves the container's write
     * @return true if frames are left and this outbox must be queued again, behind the other outboxes
     */
    boolean drainBatch(SendPool.Slot slot) {
        for (int written = 0; ; ) {
            List<Pending> next;
            Pending source = null;
            CompletableFuture<Void> idle = null;
            long since = 0;
            synchronized (this) {
                inFlight = null;
                next = null;
                Pending head = closed == null ? queue.peek() : null;
                if (head == null) {
                    scheduled = false;
                    idle = drained;
                    drained = null;
                } else if (written >= BATCH) {
                    return true; // still scheduled
                } else if (head.source != null) {
                    source = queue.poll(); // a resume's source: pulled below, outside the lock
                } else {
                    next = take(BATCH - written);
                    inFlight = next;
                    since = inFlightSince = System.nanoTime();
                }
            }
            if (source != null) {
                pull(source);
                continue;
            }
            if (next == null) {
                if (idle != null) {
                    idle.complete(null);
                }
                return false;
            }
            slot.writing(this, since);
            try {
                transport.write(joinBytes == 0 ? next.get(0).frame.text()
                        : next.size() == 1 ? next.get(0).frame.line() : joined(next));
            } catch (IOException | RuntimeException | Error e) { // e.g. IllegalStateException from a closed session
                end(new SwitchboardException("write to connection " + owner + " failed: " + e, e),
                        CloseReason.CloseCodes.UNEXPECTED_CONDITION, "write failed: " + e.getMessage(), Deferred.NOW);
                if (e instanceof Error error) {
                    throw error;
                }
                return false; // close() failed the frames still in flight and every queued one
            } finally {
                slot.wrote();
            }
            synchronized (this) {
                inFlight = null; // written: a late timeout for it must close nothing
            }
            for (Pending p : next) {
                p.finish(null);
            }
            written += next.size();
        }
    }

    /**
     * Takes what the next write sends: the head message (there is one) and, if this connection joins frames, the
     * messages queued right behind it that fit, up to the first resume source. Called holding the monitor.
     */
    private List<Pending> take(int most) {
        Pending head = queue.poll();
        taken(head);
        if (joinBytes == 0 || head.frame.bytes() >= joinBytes) {
            return List.of(head);
        }
        List<Pending> frames = new ArrayList<>(Math.min(most, queue.size() + 1));
        frames.add(head);
        long bytes = head.frame.bytes();
        for (Pending p; frames.size() < most && (p = queue.peek()) != null && p.source == null
                && bytes + 1 + p.frame.bytes() <= joinBytes; ) {
            queue.poll();
            taken(p);
            frames.add(p);
            bytes += 1 + p.frame.bytes();
        }
        return frames;
    }

    // A message leaves the queue for the network: the bounds count only what waits.
    private void taken(Pending p) {
        if (p.live()) {
            liveMessages--;
            liveBytes -= p.frame.bytes();
        }
    }

    private static String joined(List<Pending> frames) {
        int length = frames.size() - 1;
        for (Pending p : frames) {
            length += p.frame.text().length();
        }
        StringBuilder text = new StringBuilder(length);
        for (Pending p : frames) {
            if (!text.isEmpty()) {
                text.append('\n');
            }
            text.append(p.frame.line());
        }
        return text.toString();
    }

    /** The sender pool stopped while this outbox still had frames: nothing will write them. */
    void stopped(RuntimeException why) {
        end(new ConnectionClosedException("connection " + owner + ": the application is stopping",
                CloseReason.CloseCodes.GOING_AWAY.getCode(), why),
                CloseReason.CloseCodes.GOING_AWAY, "application stopping", Deferred.NOW);
    }

    // Puts the source's next batch at the head of the queue, followed by the source itself while it has more.
    private void pull(Pending source) {
        List<Frame> frames;
        try {
            frames = source.source.next(BATCH); // outside this lock: the source takes its group's monitor
        } catch (RuntimeException | Error e) {
            end(new SwitchboardException("resume of connection " + owner + " failed: " + e, e),
                    CloseReason.CloseCodes.UNEXPECTED_CONDITION, "resume failed", Deferred.NOW);
            if (e instanceof Error error) {
                throw error;
            }
            return;
        }
        synchronized (this) {
            if (closed != null || frames.isEmpty()) {
                return;
            }
            queue.addFirst(source);
            for (int i = frames.size() - 1; i >= 0; i--) {
                queue.addFirst(new Pending(frames.get(i), IGNORE, null, null));
            }
        }
    }

    /** A queued frame (or a resume's source of frames) and whom to tell how it ended. */
    private final class Pending extends AtomicBoolean {
        private static final long serialVersionUID = 1L;
        final Frame frame;
        final FrameCallback callback;
        final Object lane;
        final FrameSource source;

        Pending(Frame frame, FrameCallback callback, Object lane, FrameSource source) {
            this.frame = frame;
            this.callback = callback;
            this.lane = lane;
            this.source = source;
        }

        /** @return true for a frame offered live, which the bounds count; false for a resume's frames */
        boolean live() {
            return callback != IGNORE;
        }

        /** Tells the callback, the first time only (a write can end by completing and by the outbox closing). */
        void finish(Throwable failure) {
            if (compareAndSet(false, true)) {
                callback.done(owner, failure);
            }
        }
    }
}
