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
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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

    private final Map<String, SessionConnection> open = new ConcurrentHashMap<>();

    @Override
    public Connection opened(Session session) {
        return opened(session, Namespace.WS);
    }

    @Override
    public Connection opened(Session session, String namespace) {
        session.getAsyncRemote().setSendTimeout(settings.sendTimeoutMs());
        SessionConnection connection = new SessionConnection(session, events.namespace(namespace), codec, settings);
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
        if (connection != null && connection.terminate(reason)) {
            open.remove(connection.id(), connection);
            connection.events().emit(new ConnectionClosed(connection, reason));
        }
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

    /** Tells every client the application is going away (1001) instead of leaving them to time out. */
    @PreDestroy
    void shutdown() {
        List<SessionConnection> all = List.copyOf(open.values());
        if (!all.isEmpty()) {
            LOG.info(() -> "Closing " + all.size() + " connections: application stopping");
        }
        for (SessionConnection connection : all) {
            connection.close(CloseReason.CloseCodes.GOING_AWAY, "application stopping");
        }
    }
}
