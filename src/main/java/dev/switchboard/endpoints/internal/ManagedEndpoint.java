package dev.switchboard.endpoints.internal;

import dev.switchboard.connections.Connection;
import dev.switchboard.connections.Connections;
import dev.switchboard.connections.InvalidMessageException;
import dev.switchboard.groups.InvalidGroupNameException;
import dev.switchboard.groups.JoinDeniedException;
import jakarta.json.Json;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What the container runs for one connection to a {@code @SwitchboardEndpoint}: Switchboard's part of each callback
 * (lifecycle events, limits, leaving groups) around the application's own methods, on an instance of its class made
 * by CDI for this connection and destroyed when it closes.
 *
 * <p>The container may call {@link #onClose} on any thread at any time: on the thread of a callback that closes the
 * connection itself (re-entrantly), or on another while a callback runs. Switchboard's part of a close (leaving the
 * groups, {@code ConnectionClosed}) happens at once; the application's methods run one at a time under {@link
 * #callbacks}, and a close that arrives during one of them runs {@code @OnClose} and disposes of the instance once it
 * has returned. So the application's {@code @OnClose} and {@code @PreDestroy} never overlap its other methods.
 */
public final class ManagedEndpoint extends Endpoint {

    private static final Logger LOG = Logger.getLogger(ManagedEndpoint.class.getName());
    private static final String INTERNAL_ERROR = "internal error";

    private final DeployedEndpoint endpoint;
    private final ReentrantLock callbacks = new ReentrantLock();
    private volatile Connections connections; // set first in onOpen; onClose may read it from another thread
    // Guarded by callbacks.
    private Session session;
    private Connection connection;
    private Object instance;
    private Runnable dispose;
    private CloseReason pendingClose;
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
                return; // refused at open (a limit): the application never sees it
            }
            DeployedEndpoint.Instance made = endpoint.newInstance();
            instance = made.get();
            dispose = made::dispose;
            endpoint.type().open().call(instance, Callback.Call.of(session, connection));
            if (pendingClose == null && connection.isOpen()) {
                session.addMessageHandler(String.class, (MessageHandler.Whole<String>) text -> message(session, text));
            }
        } catch (JoinDeniedException | InvalidMessageException | InvalidGroupNameException e) {
            closeFromOpen(CloseReason.CloseCodes.VIOLATED_POLICY, e.getMessage(), null);
        } catch (Throwable e) { // also Errors: a connection nobody reads must not stay behind
            closeFromOpen(CloseReason.CloseCodes.UNEXPECTED_CONDITION, INTERNAL_ERROR, e);
        } finally {
            release();
        }
    }

    // Holding callbacks.
    private void closeFromOpen(CloseReason.CloseCode code, String reason, Throwable error) {
        if (error != null) {
            LOG.log(Level.WARNING, error, () -> "Opening a connection to " + endpoint.type().type().getName()
                    + " failed; closing it with " + code.getCode());
        }
        if (connection != null) {
            connection.close(code, reason);
            return;
        }
        try { // Switchboard itself failed before the connection existed
            session.close(new CloseReason(code, reason));
        } catch (java.io.IOException | RuntimeException e) {
            LOG.log(Level.FINE, "Closing a connection that failed to open failed", e);
        }
    }

    private void message(Session session, String text) {
        connections.received(session, text).ifPresent(message -> {
            callbacks.lock();
            try {
                if (ended || instance == null || !endpoint.type().message().declared()) {
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
            } catch (InvalidMessageException e) {
                tell(e.getMessage());
                connections.failed(session, e);
            } catch (Throwable e) {
                LOG.log(Level.WARNING, e, () -> endpoint.type().message() + " failed on connection " + connection.id());
                tell(INTERNAL_ERROR);
                failed(session, e);
            } finally {
                release();
            }
        });
    }

    private void tell(String error) {
        connection.send(Json.createObjectBuilder().add("type", "error").add("error", String.valueOf(error)).build());
    }

    @Override
    public void onError(Session session, Throwable error) {
        if (connections == null) {
            return;
        }
        callbacks.lock();
        try {
            failed(session, error);
        } finally {
            release();
        }
    }

    // Holding callbacks.
    private void failed(Session session, Throwable error) {
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
        registry.closed(session, reason); // at once: the connection leaves its groups whatever the application does
        if (callbacks.isHeldByCurrentThread()) {
            pendingClose = reason; // a callback of ours closed it: @OnClose runs once that callback has returned
            return;
        }
        callbacks.lock();
        try {
            pendingClose = reason;
        } finally {
            release();
        }
    }

    /** Unlocks {@link #callbacks}; first, if a close is due and no callback of ours is running, runs it. */
    private void release() {
        try {
            if (pendingClose != null && !ended && callbacks.getHoldCount() == 1) {
                ended = true;
                CloseReason reason = pendingClose;
                pendingClose = null;
                end(reason);
            }
        } finally {
            callbacks.unlock();
        }
    }

    // Holding callbacks, once.
    private void end(CloseReason reason) {
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
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, e, () -> "Destroying the endpoint of connection " + connection.id() + " failed");
            }
            instance = null;
        }
    }
}
