package dev.switchboard.example;

import dev.switchboard.connections.Connection;
import dev.switchboard.connections.Connections;
import dev.switchboard.events.Namespace;
import dev.switchboard.groups.Groups;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;

/**
 * The reference's complete chat application, {@code ws://host:9080/chat/{room}}: joins group {@code chat_{room}} and
 * fires every JSON object it receives as a {@link RoomMessage}. Its lifecycle events are in namespace {@code
 * websocket}.
 */
@Dependent // a bean-defining annotation, so that CDI injects the fields of the endpoint
@ServerEndpoint("/chat/{room}")
public class ChatRoomEndpoint {

    static final String NAMESPACE = "websocket";

    @Inject
    Connections connections;

    @Inject
    Groups groups;

    @Inject
    @Namespace("room")
    Event<RoomMessage> roomMessages;

    static String group(String room) {
        return "chat_" + room;
    }

    @OnOpen
    public void open(Session session, @PathParam("room") String room) {
        Connection connection = connections.opened(session, NAMESPACE); // observers send the welcome first
        try {
            groups.join(group(room), connection);
        } catch (IllegalArgumentException e) {
            connection.close(CloseReason.CloseCodes.VIOLATED_POLICY, "invalid room: " + e.getMessage());
        }
    }

    @OnMessage
    public void message(Session session, String text, @PathParam("room") String room) {
        connections.received(session, text).ifPresent(message -> roomMessages.fire(new RoomMessage(room, message)));
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
