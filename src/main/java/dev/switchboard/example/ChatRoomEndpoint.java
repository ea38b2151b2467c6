package dev.switchboard.example;

import dev.switchboard.connections.Connection;
import dev.switchboard.connections.Connections;
import dev.switchboard.events.Namespace;
import dev.switchboard.groups.Groups;
import dev.switchboard.groups.Join;
import dev.switchboard.groups.JoinDeniedException;
import dev.switchboard.groups.Position;
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
import dev.switchboard.security.HandshakeGuard;
import java.util.List;
import java.util.Map;

/**
 * The reference's complete chat application, {@code ws://host:9080/chat/{room}}: joins group {@code chat_{room}} and
 * fires every JSON object it receives as a {@link RoomMessage}. Its lifecycle events are in namespace {@code
 * websocket}. {@code ?since=<offset>&epoch=<epoch>} resumes after the last message the client has.
 */
@Dependent // a bean-defining annotation, so that CDI injects the fields of the endpoint
@ServerEndpoint(value = "/chat/{room}", configurator = HandshakeGuard.class)
public class ChatRoomEndpoint {

    static final String NAMESPACE = "websocket";

    @Inject
    Connections connections;

    @Inject
    Groups groups;

    @Inject
    @Namespace("room")
    Event<RoomMessage> roomMessages;

    @OnOpen
    public void open(Session session, @PathParam("room") String room) {
        Connection connection = connections.opened(session, NAMESPACE); // observers send the welcome first
        try {
            groups.join(Rooms.group(room), connection, join(session.getRequestParameterMap()));
        } catch (IllegalArgumentException | JoinDeniedException e) {
            connection.close(CloseReason.CloseCodes.VIOLATED_POLICY, "cannot join: " + e.getMessage());
        }
    }

    /** A fresh join, or a resume when the client says which message it had last. */
    private static Join join(Map<String, List<String>> query) {
        String since = first(query, "since");
        if (since == null) {
            return Join.FRESH;
        }
        long offset;
        try {
            offset = Long.parseLong(since);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("since must be an offset (a whole number), got \"" + since + "\"");
        }
        String epoch = first(query, "epoch");
        return Join.FRESH.resumingFrom(new Position(epoch == null ? "" : epoch, Math.max(0, offset)));
    }

    private static String first(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
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
