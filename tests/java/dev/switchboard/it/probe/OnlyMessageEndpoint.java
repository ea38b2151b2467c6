package dev.switchboard.it.probe;

import dev.switchboard.connections.Connection;
import dev.switchboard.connections.ConnectionClosed;
import dev.switchboard.connections.ConnectionError;
import dev.switchboard.connections.ConnectionOpened;
import dev.switchboard.endpoints.SwitchboardEndpoint;
import dev.switchboard.groups.Groups;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.websocket.OnMessage;

/**
 * {@code /probe/only-message}: a Switchboard endpoint that declares nothing but {@code @OnMessage}, and no bean-defining
 * annotation. {@code {"join":"g"}} joins group g; any other object is echoed with the connection's id. {@link
 * Lifecycle} records its lifecycle events by connection id ({@code GET /api/probe/records?id=}).
 */
@SwitchboardEndpoint(value = "/probe/only-message", namespace = OnlyMessageEndpoint.NAMESPACE)
public class OnlyMessageEndpoint {

    static final String NAMESPACE = "only-message";

    @Inject
    Groups groups;

    @OnMessage
    public JsonObject message(Connection connection, JsonObject message) {
        if (message.containsKey("join")) {
            groups.join(message.getString("join"), connection);
        }
        return Json.createObjectBuilder().add("id", connection.id()).add("echo", message).build();
    }

    /** Records what Switchboard fired for the endpoint. */
    @ApplicationScoped
    public static class Lifecycle {

        @Inject
        Probe probe;

        void opened(@Observes @dev.switchboard.events.Namespace(NAMESPACE) ConnectionOpened event) {
            probe.record(event.connection().id(), "opened");
        }

        void failed(@Observes @dev.switchboard.events.Namespace(NAMESPACE) ConnectionError event) {
            probe.record(event.connection().id(), "error");
        }

        void closed(@Observes @dev.switchboard.events.Namespace(NAMESPACE) ConnectionClosed event) {
            probe.record(event.connection().id(), "closed " + event.reason().getCloseCode().getCode());
        }
    }
}
