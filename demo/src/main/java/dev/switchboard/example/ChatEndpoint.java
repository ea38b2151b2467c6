package dev.switchboard.example;

import dev.switchboard.connections.Connection;
import dev.switchboard.endpoints.SwitchboardEndpoint;
import dev.switchboard.events.Namespace;
import dev.switchboard.groups.Groups;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;

/**
 * The reference's "emitting events from connections", {@code ws://host:9080/chat}: lifecycle events in namespace
 * {@code ws} ("ws.connected", "ws.error"), every JSON object as a {@link ChatMessage} in namespace {@code chat}.
 */
@SwitchboardEndpoint("/chat")
public class ChatEndpoint {

    static final String GROUP = "chat";

    @Inject
    Groups groups;

    @Inject
    @Namespace("chat")
    Event<ChatMessage> messages;

    @OnOpen
    public void open(Connection connection) {
        groups.join(GROUP, connection);
    }

    @OnMessage
    public void message(Connection connection, JsonObject message) {
        messages.fire(new ChatMessage(connection, message));
    }
}
