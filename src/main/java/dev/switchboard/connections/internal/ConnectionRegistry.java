package dev.switchboard.connections.internal;

import dev.switchboard.connections.Connection;
import dev.switchboard.connections.ConnectionClosed;
import dev.switchboard.connections.ConnectionError;
import dev.switchboard.connections.ConnectionOpened;
import dev.switchboard.connections.Connections;
import dev.switchboard.connections.InvalidMessageException;
import dev.switchboard.connections.MessageReceived;
import dev.switchboard.events.Events;
import dev.switchboard.events.Namespace;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The {@link Connections} bean: open connections by id, the handle kept in each session's user properties. */
@ApplicationScoped
public class ConnectionRegistry implements Connections {

    private static final Logger LOG = Logger.getLogger(ConnectionRegistry.class.getName());
    private static final String KEY = SessionConnection.class.getName();

    @Inject
    Events events;

    @Inject
    JsonCodec codec;

    @Inject
    OutboxSettings settings;

    @Resource
    ManagedExecutorService executor;

    @Resource
    ManagedScheduledExecutorService scheduler;

    private final Map<String, SessionConnection> open = new ConcurrentHashMap<>();
    private ScheduledFuture<?> sweeper;

    /** Checks for stuck writes a few times per send timeout, so none outlives it by more than a quarter. */
    @PostConstruct
    void startSweeper() {
        long period = Math.max(50, settings.sendTimeoutMs() / 4);
        sweeper = scheduler.scheduleAtFixedRate(this::expireStuckWrites, period, period, TimeUnit.MILLISECONDS);
    }

    private void expireStuckWrites() {
        try {
            long now = System.nanoTime();
            long timeout = TimeUnit.MILLISECONDS.toNanos(settings.sendTimeoutMs());
            for (SessionConnection connection : open.values()) {
                connection.expireIfStuck(now, timeout);
            }
        } catch (RuntimeException e) { // keep the schedule alive: a periodic task that throws is never run again
            LOG.log(Level.WARNING, "Checking for stuck writes failed", e);
        }
    }

    @Override
    public Connection opened(Session session) {
        return opened(session, Namespace.WS);
    }

    @Override
    public Connection opened(Session session, String namespace) {
        session.getAsyncRemote().setSendTimeout(settings.sendTimeoutMs());
        SessionConnection connection = new SessionConnection(session, events.namespace(namespace), codec, settings,
                executor, this::terminated);
        session.getUserProperties().put(KEY, connection);
        open.put(connection.id(), connection);
        connection.events().emit(new ConnectionOpened(connection));
        return connection;
    }

    @Override
    public Optional<JsonObject> received(Session session, String text) {
        SessionConnection connection = require(session);
        JsonObject message;
        try {
            message = codec.decodeObject(text);
        } catch (InvalidMessageException e) {
            connection.send(Json.createObjectBuilder().add("type", "error").add("error", e.getMessage()).build());
            connection.events().emit(new ConnectionError(connection, e));
            return Optional.empty();
        }
        connection.events().emit(new MessageReceived(connection, message));
        return Optional.of(message);
    }

    @Override
    public void failed(Session session, Throwable error) {
        SessionConnection connection = (SessionConnection) session.getUserProperties().get(KEY);
        if (connection == null) {
            LOG.log(Level.WARNING, error, () -> "Error on session " + session.getId() + " before it opened: " + error);
            return;
        }
        LOG.log(Level.FINE, error, () -> "Error on connection " + connection.id());
        connection.events().emit(new ConnectionError(connection, error));
        if (!session.isOpen()) {
            closed(session, new CloseReason(CloseReason.CloseCodes.CLOSED_ABNORMALLY, String.valueOf(error)));
        }
    }

    @Override
    public void closed(Session session, CloseReason reason) {
        SessionConnection connection = (SessionConnection) session.getUserProperties().get(KEY);
        if (connection != null) {
            connection.terminate(reason);
        }
    }

    /** Called once per connection, by whichever side ended it first: the endpoint's @OnClose or a slow-consumer close. */
    private void terminated(SessionConnection connection) {
        open.remove(connection.id(), connection);
        connection.closed().thenAccept(reason -> connection.events().emit(new ConnectionClosed(connection, reason)));
    }

    @Override
    public Optional<Connection> find(Session session) {
        SessionConnection connection = (SessionConnection) session.getUserProperties().get(KEY);
        return connection == null || !connection.isOpen() ? Optional.empty() : Optional.of(connection);
    }

    @Override
    public int count() {
        return open.size();
    }

    private SessionConnection require(Session session) {
        SessionConnection connection = (SessionConnection) session.getUserProperties().get(KEY);
        if (connection == null) {
            throw new IllegalStateException("Connections.opened(session) was not called for session "
                    + session.getId() + ": call it from the endpoint's @OnOpen");
        }
        return connection;
    }

    /**
     * Tells every client the application is going away (1001) instead of leaving them to time out: after its outbox
     * has drained, or after {@code switchboard.shutdown.drain-ms} in all, whichever is first.
     */
    @PreDestroy
    void shutdown() {
        if (sweeper != null) {
            sweeper.cancel(false);
        }
        List<SessionConnection> all = List.copyOf(open.values());
        if (all.isEmpty()) {
            return;
        }
        LOG.info(() -> "Closing " + all.size() + " connections with 1001: application stopping");
        CompletableFuture<?>[] drains = all.stream()
                .map(c -> c.whenDrained().toCompletableFuture()).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(drains).get(settings.drainMs(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warning(() -> "Outboxes not drained within switchboard.shutdown.drain-ms = " + settings.drainMs()
                    + " ms; closing anyway");
        } catch (ExecutionException e) {
            LOG.log(Level.WARNING, "Waiting for outboxes to drain failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (SessionConnection connection : all) {
            connection.close(CloseReason.CloseCodes.GOING_AWAY, "application stopping");
        }
    }
}
