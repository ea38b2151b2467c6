package dev.switchboard.example;

import dev.switchboard.connections.Connections;
import dev.switchboard.groups.Groups;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import dev.switchboard.security.HandshakeGuard;

/** {@code ws://host:9080/notifications}: receives what {@code POST /api/notifications} creates. */
@Dependent
@ServerEndpoint(value = "/notifications", configurator = HandshakeGuard.class)
public class NotificationsEndpoint {

    static final String GROUP = "notifications";

    @Inject
    Connections connections;

    @Inject
    Groups groups;

    @OnOpen
    public void open(Session session) {
        groups.join(GROUP, connections.opened(session, GROUP));
    }

    @OnMessage
    public void message(Session session, String text) {
        connections.received(session, text);
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
