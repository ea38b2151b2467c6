package dev.switchboard.endpoints.internal;

import dev.switchboard.connections.Connection;
import dev.switchboard.connections.Connections;
import dev.switchboard.groups.JoinDeniedException;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.enterprise.inject.spi.Unmanaged;
import jakarta.json.Json;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What the container runs for one connection to a {@code @SwitchboardEndpoint}: Switchboard's part of each callback
 * (lifecycle events, limits, leaving groups) around the application's own methods, on an instance of its class made
 * by CDI for this connection and destroyed when it closes.
 */
public final class ManagedEndpoint extends Endpoint {

    private static final Logger LOG = Logger.getLogger(ManagedEndpoint.class.getName());

    private final EndpointClass endpoint;
    private Connections connections;
    private Unmanaged.UnmanagedInstance<?> instance;
    private Connection connection;

    ManagedEndpoint(EndpointClass endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        connections = CDI.current().select(Connections.class).get();
        connection = connections.opened(session, endpoint.namespace());
        if (!connection.isOpen()) {
            return; // refused at open (a limit): the application never sees it
        }
        try {
            instance = create(endpoint.type());
            endpoint.open().call(instance.get(), Callback.Call.of(session, connection));
        } catch (IllegalArgumentException | JoinDeniedException e) {
            connection.close(CloseReason.CloseCodes.VIOLATED_POLICY, e.getMessage());
            return;
        } catch (Exception e) {
            LOG.log(Level.WARNING, e, () -> "Opening connection " + connection.id() + " to " + endpoint.type().getName()
                    + " failed");
            connection.close(CloseReason.CloseCodes.UNEXPECTED_CONDITION, "internal error");
            return;
        }
        session.addMessageHandler(String.class, (MessageHandler.Whole<String>) text -> message(session, text));
    }

    private static <T> Unmanaged.UnmanagedInstance<T> create(Class<T> type) {
        return new Unmanaged<>(type).newInstance().produce().inject().postConstruct();
    }

    private void message(Session session, String text) {
        connections.received(session, text).ifPresent(message -> {
            if (!endpoint.message().declared()) {
                return;
            }
            try {
                Object reply = endpoint.message().call(instance.get(),
                        Callback.Call.of(session, connection).withMessage(text, message));
                if (reply != null) {
                    connection.send(reply);
                }
            } catch (Exception e) {
                String said = e instanceof IllegalArgumentException ? e.getMessage() : "internal error";
                if (!(e instanceof IllegalArgumentException)) {
                    LOG.log(Level.WARNING, e, () -> endpoint.message() + " failed on connection " + connection.id());
                }
                connection.send(Json.createObjectBuilder().add("type", "error").add("error", String.valueOf(said))
                        .build());
                error(session, e);
            }
        });
    }

    @Override
    public void onError(Session session, Throwable error) {
        error(session, error);
    }

    private void error(Session session, Throwable error) {
        if (connections == null) {
            return;
        }
        connections.failed(session, error);
        if (instance != null) {
            try {
                endpoint.error().call(instance.get(), Callback.Call.of(session, connection).withError(error));
            } catch (Exception e) {
                LOG.log(Level.WARNING, e, () -> endpoint.error() + " failed on connection " + connection.id());
            }
        }
    }

    @Override
    public void onClose(Session session, CloseReason reason) {
        if (connections == null) {
            return;
        }
        connections.closed(session, reason); // first: the connection leaves its groups whatever the application does
        if (instance == null) {
            return;
        }
        try {
            endpoint.close().call(instance.get(), Callback.Call.of(session, connection).withReason(reason));
        } catch (Exception e) {
            LOG.log(Level.WARNING, e, () -> endpoint.close() + " failed on connection " + connection.id());
        } finally {
            instance.preDestroy().dispose();
        }
    }
}
