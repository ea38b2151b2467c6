package dev.switchboard.it.probe;

import dev.switchboard.connections.Connection;
import dev.switchboard.connections.Connections;
import dev.switchboard.groups.Groups;
import dev.switchboard.groups.Join;
import dev.switchboard.groups.Position;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;
import java.util.List;

/**
 * {@code /probe/relay/{group}?since=&epoch=}: like the demo's rooms, for groups whose policy a test sets (for example
 * DROP_OLDEST with history): joins the group (resuming if asked) and sends every JSON object it receives to the group
 * as {@code {"room":..,"message":..}}.
 */
@Dependent
// A plain endpoint opts in to joined frames by naming the subprotocol (the checker asks for it on half its clients).
@ServerEndpoint(value = "/probe/relay/{group}", subprotocols = Connections.BATCH_SUBPROTOCOL)
public class RelayEndpoint {

    @Inject
    Connections connections;

    @Inject
    Groups groups;

    @OnOpen
    public void open(Session session, @PathParam("group") String group) {
        Connection connection = connections.opened(session, "probe-relay");
        List<String> since = session.getRequestParameterMap().get("since");
        List<String> epoch = session.getRequestParameterMap().get("epoch");
        Join join = since == null ? Join.FRESH : Join.FRESH.resumingFrom(
                new Position(epoch == null ? "" : epoch.get(0), Long.parseLong(since.get(0))));
        groups.join(group, connection, join);
    }

    @OnMessage
    public void message(Session session, String text, @PathParam("group") String group) {
        connections.received(session, text).ifPresent(message -> groups.send(group,
                Json.createObjectBuilder().add("room", group).add("message", message).build()));
    }

    @OnError
    public void error(Session session, Throwable error) {
        connections.failed(session, error);
    }

    @OnClose
    public void close(Session session, CloseReason reason) {
        connections.closed(session, reason);
    }
}
