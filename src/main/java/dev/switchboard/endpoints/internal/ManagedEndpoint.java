package dev.switchboard.endpoints.internal;

import dev.switchboard.connections.Connection;
import dev.switchboard.connections.Connections;
import dev.switchboard.connections.InvalidMessageException;
import dev.switchboard.groups.InvalidGroupNameException;
import dev.switchboard.groups.ClusterUnavailableException;
import dev.switchboard.groups.JoinDeniedException;
import jakarta.json.Json;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What the container runs for one connection to a {@code @SwitchboardEndpoint}: Switchboard's part of each callback
 * (lifecycle events, limits, leaving groups) around the application's own methods, on an instance of its class made
 * by CDI for this connection and destroyed when it closes.
 *
 * <p>The container calls {@link #onClose} on whichever thread closes the session: the thread of one of this
 * connection's callbacks (re-entrantly), another connection's callback, a request thread. Switchboard's part of a close
 * (leaving the groups, {@code ConnectionClosed}) happens at once. The application's methods run one at a time under
 * {@link #callbacks}; {@code onClose} never waits for that lock (two connections closing each other would deadlock): it
 * leaves the close in {@link #pendingClose}, and whichever thread holds or next takes the lock runs {@code @OnClose}
 * and disposes of the instance once no callback of the application is running.
 */
public final class ManagedEndpoint extends Endpoint {

    private static final Logger LOG = Logger.getLogger(ManagedEndpoint.class.getName());
    private static final String INTERNAL_ERROR = "internal error";

    private final DeployedEndpoint endpoint;
    private final ReentrantLock callbacks = new ReentrantLock();
    private final AtomicReference<CloseReason> pendingClose = new AtomicReference<>();
    private volatile Connections connections; // set first in onOpen; onClose reads it on any thread
    // Guarded by callbacks.
    private Session session;
    private Connection connection;
    private Object instance;
    private Runnable dispose;
    private boolean ended;

    ManagedEndpoint(DeployedEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        callbacks.lock();
        try {
            this.session = session;
            connections = endpoint.connections();
            connection = connections.opened(session, endpoint.type().namespace());
            if (!connection.isOpen()) {
                return; // refused at open (a limit), or already closed: the application never sees it
            }
            DeployedEndpoint.Instance made = endpoint.newInstance();
            instance = made.get();
            dispose = made::dispose;
            endpoint.type().open().call(instance, Callback.Call.of(session, connection));
            if (pendingClose.get() == null && connection.isOpen()) {
                session.addMessageHandler(String.class, (MessageHandler.Whole<String>) text -> message(session, text));
            }
        } catch (Throwable e) { // also Errors: a connection nobody reads must not stay behind
            String told = forClient(e);
            if (connection != null) {
                failed(e);
                connection.close(closeCode(e, told), told == null ? INTERNAL_ERROR : told);
            } else { // Switchboard itself failed before the connection existed
                LOG.log(Level.WARNING, e, () -> "Opening a connection to " + endpoint.type().type().getName()
                        + " failed");
                closeSession(session);
            }
        } finally {
            release();
        }
    }

    /**
     * @return the message of an exception meant for the client; null for any other (logged, never sent: it may carry
     *     what the client must not see)
     */
    private String forClient(Throwable e) {
        ClusterUnavailableException unavailable = unavailable(e);
        if (unavailable != null) { // logged with Redis' address; the client is not told it
            LOG.warning(unavailable::getMessage);
            return "group \"" + unavailable.group() + "\" is unavailable: try again later";
        }
        if (e instanceof InvalidMessageException || e instanceof JoinDeniedException
                || e instanceof InvalidGroupNameException) {
            return String.valueOf(e.getMessage());
        }
        LOG.log(Level.WARNING, e, () -> "The endpoint " + endpoint.type().type().getName() + " failed on connection "
                + (connection == null ? "(none)" : connection.id()));
        return null;
    }

    // Also wrapped (an interceptor, a CompletionException): Redis away is a reason to retry whatever carried it.
    private static ClusterUnavailableException unavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ClusterUnavailableException found) {
                return found;
            }
        }
        return null;
    }

    // The client's fault: 1008, do not retry as is. The cluster's Redis away: 1013, retry later. Anything else: 1011.
    private static CloseReason.CloseCode closeCode(Throwable e, String told) {
        if (unavailable(e) != null) {
            return CloseReason.CloseCodes.TRY_AGAIN_LATER;
        }
        return told == null ? CloseReason.CloseCodes.UNEXPECTED_CONDITION : CloseReason.CloseCodes.VIOLATED_POLICY;
    }

    private static void closeSession(Session session) {
        try {
            session.close(new CloseReason(CloseReason.CloseCodes.UNEXPECTED_CONDITION, INTERNAL_ERROR));
        } catch (java.io.IOException | RuntimeException e) {
            LOG.log(Level.FINE, "Closing a connection that failed to open failed", e);
        }
    }

    private void message(Session session, String text) {
        connections.received(session, text).ifPresent(message -> {
            callbacks.lock();
            try {
                if (ended || pendingClose.get() != null || instance == null || !endpoint.type().message().declared()) {
                    return;
                }
                Object reply = endpoint.type().message().call(instance,
                        Callback.Call.of(session, connection).withMessage(text, message));
                if (reply != null) {
                    connection.send(reply).exceptionally(e -> {
                        LOG.log(Level.FINE, e, () -> "A reply to connection " + connection.id() + " was not sent");
                        return null;
                    });
                }
            } catch (Throwable e) {
                String told = forClient(e);
                connection.send(Json.createObjectBuilder().add("type", "error")
                        .add("error", told == null ? INTERNAL_ERROR : told).build());
                failed(e);
            } finally {
                release();
            }
        });
    }

    @Override
    public void onError(Session session, Throwable error) {
        Connections registry = connections;
        if (registry == null) {
            return;
        }
        if (!session.isOpen()) { // the registry takes it as a close; so does the application's part
            pendingClose.compareAndSet(null, new CloseReason(CloseReason.CloseCodes.CLOSED_ABNORMALLY, "error"));
        }
        // A callback of the application runs (on another thread, or this one: a failed write inside it): never wait
        // and never nest. ConnectionError fires; the application's @OnError is skipped this once.
        if (callbacks.isHeldByCurrentThread() || !callbacks.tryLock()) {
            try {
                registry.failed(session, error);
            } finally {
                release(false);
            }
            return;
        }
        try {
            failed(error);
        } finally {
            release();
        }
    }

    /** Fires {@code ConnectionError} and runs the application's {@code @OnError}; holding {@link #callbacks}. */
    private void failed(Throwable error) {
        connections.failed(session, error);
        if (instance == null || ended) {
            return;
        }
        try {
            endpoint.type().error().call(instance, Callback.Call.of(session, connection).withError(error));
        } catch (Throwable e) {
            LOG.log(Level.WARNING, e, () -> endpoint.type().error() + " failed on connection " + connection.id());
        }
    }

    @Override
    public void onClose(Session session, CloseReason reason) {
        Connections registry = connections;
        if (registry == null) {
            return; // onOpen never ran
        }
        pendingClose.compareAndSet(null, reason); // first: nothing that fails below may lose the application's close
        try {
            registry.closed(session, reason); // at once: the connection leaves its groups whatever the application does
        } finally {
            release(false);
        }
    }

    /** Unlocks {@link #callbacks}, then runs a close that is due. */
    private void release() {
        release(true);
    }

    private void release(boolean locked) {
        if (locked) {
            callbacks.unlock();
        }
        // A close left by a thread that could not take the lock is run by whoever takes it next. Checked after the
        // unlock, against onClose's check after its store: one of the two threads always sees the other's work.
        while (pendingClose.get() != null && callbacks.tryLock()) {
            try {
                if (callbacks.getHoldCount() > 1) {
                    return; // inside one of this thread's callbacks (a close it caused): run when that one returns
                }
                if (!ended) {
                    ended = true;
                    end(pendingClose.get());
                }
                return;
            } finally {
                callbacks.unlock();
            }
        }
    }

    // Holding callbacks, once.
    private void end(CloseReason reason) {
        if (session != null) {
            connections.closed(session, reason); // again: a close that came before the connection was registered
        }
        if (instance == null) {
            return;
        }
        try {
            endpoint.type().close().call(instance, Callback.Call.of(session, connection).withReason(reason));
        } catch (Throwable e) {
            LOG.log(Level.WARNING, e, () -> endpoint.type().close() + " failed on connection " + connection.id());
        } finally {
            try {
                dispose.run();
            } catch (Throwable e) { // an Error from @PreDestroy too: the close must finish
                LOG.log(Level.WARNING, e, () -> "Destroying the endpoint of connection " + connection.id() + " failed");
            }
            instance = null;
        }
    }
}
