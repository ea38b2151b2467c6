package dev.switchboard.connections.internal;

import dev.switchboard.SwitchboardException;
import dev.switchboard.connections.Connection;
import dev.switchboard.events.Events;
import jakarta.websocket.CloseReason;
import jakarta.websocket.SendHandler;
import jakarta.websocket.Session;
import java.io.IOException;
import java.security.Principal;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.logging.Level;
import java.util.logging.Logger;

/** A {@link Connection} over a Jakarta WebSocket {@link Session}, writing through its own {@link Outbox}. */
public final class SessionConnection implements Connection {

    private static final Logger LOG = Logger.getLogger(SessionConnection.class.getName());

    private final Session session;
    private final String id;
    private final Map<String, String> pathParameters;
    private final Events events;
    private final JsonCodec codec;
    private final Outbox outbox;
    private final CompletableFuture<CloseReason> closed = new CompletableFuture<>();

    SessionConnection(Session session, Events events, JsonCodec codec, OutboxSettings settings) {
        this.session = session;
        this.id = session.getId();
        this.pathParameters = Map.copyOf(session.getPathParameters());
        this.events = events;
        this.codec = codec;
        this.outbox = new Outbox(id, new SessionTransport(), settings.maxMessages(), settings.maxBytes());
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Map<String, String> pathParameters() {
        return pathParameters;
    }

    @Override
    public Optional<Principal> principal() {
        return Optional.ofNullable(session.getUserPrincipal());
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
        CompletableFuture<Void> sent = new CompletableFuture<>();
        offer(Frame.of(codec.encode(payload)), failure -> {
            if (failure == null) {
                sent.complete(null);
            } else {
                sent.completeExceptionally(failure);
            }
        });
        return sent;
    }

    /**
     * Queues an already encoded frame: how a group send hands one text to every member.
     *
     * @param frame the frame
     * @param completion told when it is written or refused
     */
    public void offer(Frame frame, FrameCallback completion) {
        outbox.offer(frame, completion);
    }

    /** @return frames waiting in the outbox */
    public int queued() {
        return outbox.size();
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

    /**
     * Marks the connection closed and fails what its outbox still holds.
     *
     * @return true the first time only
     */
    boolean terminate(CloseReason reason) {
        if (!closed.complete(reason)) {
            return false;
        }
        outbox.close(new SwitchboardException("connection " + id + " is closed (" + reason.getCloseCode().getCode()
                + " " + reason.getReasonPhrase() + ")"));
        return true;
    }

    @Override
    public String toString() {
        return "Connection[" + id + ", " + pathParameters + "]";
    }

    private final class SessionTransport implements Outbox.Transport {
        @Override
        public void send(String text, SendHandler handler) {
            session.getAsyncRemote().sendText(text, handler);
        }

        @Override
        public void abort(String reason) {
            LOG.warning(() -> "Closing connection " + id + " after a failed write: " + reason);
            close(CloseReason.CloseCodes.TRY_AGAIN_LATER, reason);
        }
    }
}
