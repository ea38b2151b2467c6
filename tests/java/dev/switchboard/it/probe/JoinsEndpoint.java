package dev.switchboard.it.probe;

import dev.switchboard.connections.Connection;
import dev.switchboard.connections.Connections;
import dev.switchboard.groups.Groups;
import dev.switchboard.groups.JoinDeniedException;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;

/** {@code /probe/joins}: {@code {"count":n}} makes this connection try to join groups j-0 .. j-(n-1). */
@Dependent
@ServerEndpoint("/probe/joins")
public class JoinsEndpoint {

    @Inject
    Connections connections;

    @Inject
    Groups groups;

    @OnOpen
    public void open(Session session) {
        connections.opened(session, "probe-joins");
    }

    @OnMessage
    public void message(Session session, String text) {
        connections.received(session, text).ifPresent(message -> {
            Connection connection = connections.find(session).orElseThrow();
            int joined = 0;
            int refused = 0;
            String error = "";
            for (int i = 0; i < message.getInt("count"); i++) {
                try {
                    groups.join("j-" + i, connection);
                    joined++;
                } catch (JoinDeniedException e) {
                    refused++;
                    error = e.getMessage();
                }
            }
            connection.send(Json.createObjectBuilder().add("joined", joined).add("refused", refused)
                    .add("error", error).add("groups", groups.groupsOf(connection).size()).build());
        });
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
