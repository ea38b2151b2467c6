package dev.switchboard.example;

import dev.switchboard.connections.Connections;
import dev.switchboard.events.Events;
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

/**
 * The reference's "emitting events from connections", {@code ws://host:9080/chat}: lifecycle events in namespace
 * {@code ws} ("ws.connected", "ws.error"), every JSON object as a {@link ChatMessage} in namespace {@code chat}.
 */
@Dependent
@ServerEndpoint(value = "/chat", configurator = HandshakeGuard.class)
public class ChatEndpoint {

    static final String GROUP = "chat";

    @Inject
    Connections connections;

    @Inject
    Groups groups;

    @Inject
    Events events;

    @OnOpen
    public void open(Session session) {
        groups.join(GROUP, connections.opened(session));
    }

    @OnMessage
    public void message(Session session, String text) {
        connections.received(session, text).ifPresent(message -> events.namespace("chat")
                .emit(new ChatMessage(connections.find(session).orElseThrow(), message)));
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
