package dev.switchboard.connections.internal;

import dev.switchboard.internal.delivery.OutboxLimits;
import dev.switchboard.internal.delivery.Member;
import dev.switchboard.internal.delivery.Deferred;
import dev.switchboard.internal.delivery.Frame;
import dev.switchboard.internal.delivery.FrameCallback;
import dev.switchboard.internal.delivery.FrameSource;
import dev.switchboard.internal.delivery.JsonCodec;
import dev.switchboard.connections.ConnectionClosedException;
import dev.switchboard.connections.Connections;
import dev.switchboard.connections.Overflow;
import dev.switchboard.events.Events;
import dev.switchboard.security.HandshakeGuard;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.security.Principal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/** A {@link Connection} over a Jakarta WebSocket {@link Session}, writing through its own {@link Outbox}. */
final class SessionConnection implements Member {

    private static final Logger LOG = Logger.getLogger(SessionConnection.class.getName());

    private final Session session;
    private final String id;
    private final Map<String, String> pathParameters;
    private final Map<String, List<String>> queryParameters;
    private final Events events;
    private final JsonCodec codec;
    private final Outbox outbox;
    private final Overflow overflow;
    private final long maxBytes;
    private final Executor quick;    // ends connections: no waiting on the network
    private final Executor closing;  // writes close frames: may wait seconds on a client that stopped reading
    private final BiConsumer<SessionConnection, CloseReason> onTerminate;
    private final CompletableFuture<CloseReason> closed = new CompletableFuture<>();
    private volatile boolean closedAsSlowConsumer;
    // NEW, ANNOUNCING (ConnectionOpened being fired), ANNOUNCED, then ENDED (its close not announced by terminate's
    // caller: never opened to observers, or left to the opener) or ENDED_ANNOUNCED.
    private static final int NEW = 0;
    private static final int ANNOUNCING = 1;
    private static final int ANNOUNCED = 2;
    private static final int ENDED = 3;
    private static final int ENDED_ANNOUNCED = 4;
    private final AtomicInteger state = new AtomicInteger(NEW);
    private final Set<String> roles;
    private final MessageRate rate;
    private final boolean batched; // asked for joined frames (Connections.BATCH_SUBPROTOCOL)

    SessionConnection(Session session, Events events, JsonCodec codec, ConnectionSettings settings, SendPool senders,
            Executor quick, Executor closing, BiConsumer<SessionConnection, CloseReason> onTerminate) {
        this.onTerminate = onTerminate;
        this.roles = roles(session);
        this.rate = new MessageRate(settings.messagesPerSecond(), settings.burstSeconds(), System.nanoTime());
        this.session = session;
        this.id = session.getId();
        this.pathParameters = Map.copyOf(session.getPathParameters());
        this.queryParameters = queryParameters(session);
        this.events = events;
        this.codec = codec;
        this.overflow = settings.overflow();
        this.maxBytes = settings.maxBytes();
        this.quick = quick;
        this.closing = closing;
        this.batched = Connections.BATCH_SUBPROTOCOL.equals(session.getNegotiatedSubprotocol());
        this.outbox = Outbox.open(id, new SessionTransport(), senders, settings.maxMessages(),
                settings.maxBytes(), batched ? settings.batchMaxBytes() : 0);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Map<String, String> pathParameters() {
        return pathParameters;
    }

    private static Map<String, List<String>> queryParameters(Session session) {
        Map<String, List<String>> query = new HashMap<>();
        session.getRequestParameterMap().forEach((name, values) -> query.put(name, List.copyOf(values)));
        return Map.copyOf(query);
    }

    @Override
    public Map<String, List<String>> queryParameters() {
        return queryParameters;
    }

    @Override
    public Optional<Principal> principal() {
        return Optional.ofNullable(session.getUserPrincipal());
    }

    @SuppressWarnings("unchecked")
    private static Set<String> roles(Session session) {
        Object roles = session.getUserProperties().get(HandshakeGuard.ROLES);
        return roles instanceof Set<?> set ? (Set<String>) set : Set.of();
    }

    @Override
    public boolean isUserInRole(String role) {
        return roles.contains(role);
    }

    /** @return what to do with the frame the client just sent, by its rate; see {@link MessageRate} */
    MessageRate.Verdict rate() {
        return rate.next(System.nanoTime());
    }

    int messagesPerSecond() {
        return rate.perSecond();
    }

    @Override
    public String namespace() {
        return events.namespace();
    }

    /** @return the emitter of this connection's namespace */
    public Events events() {
        return events;
    }

    @Override
    public CompletionStage<Void> send(Object payload) {
        Frame frame = Frame.of(codec.encode(payload));
        if (frame.bytes() > maxBytes) {
            throw new IllegalArgumentException("a message to connection " + id + " has " + frame.bytes()
                    + " bytes, the limit " + OutboxLimits.MAX_BYTES + " is " + maxBytes);
        }
        CompletableFuture<Void> sent = new CompletableFuture<>();
        outbox.offer(frame, (connection, failure) -> {
            if (failure == null) {
                sent.complete(null);
            } else {
                sent.completeExceptionally(failure);
            }
        }, overflow, null, Deferred.NOW);
        return sent;
    }

    /**
     * Queues an already encoded frame: how a group send hands one text to every member.
     *
     * @param frame the frame
     * @param overflow what to do if the outbox is full, for frames of {@code lane}
     * @param callback told once when it is written, dropped or failed
     * @param lane what the frame belongs to (its group): an overflow policy drops only frames of its own lane
     * @param later where callbacks and closes wait until the caller has let go of its locks
     */
    @Override
    public void offer(Frame frame, Overflow overflow, FrameCallback callback, Object lane, Deferred later) {
        outbox.offer(frame, callback, overflow, lane, later);
    }

    /**
     * Queues a resume: the frames {@code source} gives, pulled as the sender reaches them, ahead of every frame
     * offered after this call.
     *
     * @param source the frames, for example a group's history after the client's last offset
     * @param later where a failure to start it waits until the caller has let go of its locks
     */
    @Override
    public void resume(FrameSource source, Deferred later) {
        outbox.resume(source, later);
    }

    /** @return live frames waiting in this connection's outbox, not counting the one being written */
    @Override
    public int queuedFrames() {
        return outbox.size();
    }

    /** @return completes once the outbox has nothing left to write, or is closed */
    CompletionStage<Void> whenDrained() {
        return outbox.whenDrained();
    }

    @Override
    public boolean isOpen() {
        return !closed.isDone() && session.isOpen();
    }

    @Override
    public void close(CloseReason.CloseCode code, String reason) {
        if (!session.isOpen()) {
            return;
        }
        try {
            session.close(CloseReasons.of(code, reason));
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, e, () -> "Closing connection " + id + " failed: " + e);
        }
    }

    @Override
    public CompletionStage<CloseReason> closed() {
        return closed.minimalCompletionStage();
    }

    @Override
    public void whenClosed(Runnable action) {
        closed.thenRun(action);
    }

    /**
     * Starts telling observers it opened; {@link #announced} ends that.
     *
     * @return false if it has already ended: then neither its opening nor its close is announced
     */
    boolean announcing() {
        return state.compareAndSet(NEW, ANNOUNCING);
    }

    /**
     * Observers have been told it opened.
     *
     * @return false if it ended meanwhile: the caller announces the close, so that observers see it after the opening
     */
    boolean announced() {
        return state.compareAndSet(ANNOUNCING, ANNOUNCED);
    }

    /** @return true if the close is to be announced by {@link #terminate}'s caller (observers were told it opened) */
    boolean closeIsAnnounced() {
        return state.get() == ENDED_ANNOUNCED;
    }

    /**
     * Marks the connection closed, fails what its outbox still holds and tells the registry; the first call only.
     * Completing {@link #closed()} makes it leave its groups and drop its {@code @Once} state.
     */
    void terminate(CloseReason reason) {
        int was;
        do { // the first call only; whether the close is announced is settled with it, against announce()
            was = state.get();
            if (was >= ENDED) {
                return;
            }
        } while (!state.compareAndSet(was, was == ANNOUNCED ? ENDED_ANNOUNCED : ENDED));
        // Ended while ANNOUNCING: the opener announces the close after the opening (announced() fails for it).
        closed.complete(reason);
        outbox.close(new ConnectionClosedException("connection " + id + " is closed (" + reason.getCloseCode().getCode()
                + " " + reason.getReasonPhrase() + ")", reason.getCloseCode().getCode(), null), Deferred.NOW);
        onTerminate.accept(this, reason);
    }

    /** @return true if Switchboard closed it because its outbox overflowed under CLOSE or a write timed out */
    @Override
    public boolean closedAsSlowConsumer() {
        return closedAsSlowConsumer;
    }

    @Override
    public String toString() {
        return "Connection[" + id + ", " + pathParameters + (batched ? ", batched" : "") + "]";
    }

    // On the executor; when it refuses (the application is stopping), on the caller's thread, which holds no lock.
    private static void run(Executor executor, Runnable task) {
        try {
            executor.execute(task);
        } catch (RuntimeException e) {
            task.run();
        }
    }

    private final class SessionTransport implements Outbox.Transport {
        @Override
        public void write(String text) throws IOException {
            session.getBasicRemote().sendText(text); // only this connection's sender calls it: never concurrently
        }

        @Override
        public void abort(CloseReason.CloseCode code, String reason) {
            LOG.fine(() -> "Closing connection " + id + ": " + reason);
            // Not on the caller's thread: the caller may be a group send (ending the connection makes it leave its
            // groups and fires events), and closing writes a close frame, which a stalled client may never take.
            closedAsSlowConsumer = code == CloseReason.CloseCodes.TRY_AGAIN_LATER;
            // Ending it (leaving groups, events) never waits behind another connection's close frame.
            Runnable closeFrame = () -> close(code, reason);
            Runnable end = () -> {
                terminate(CloseReasons.of(code, reason));
                run(closing, closeFrame);
            };
            run(quick, end);
        }
    }
}
