package dev.switchboard.example;

import dev.switchboard.connections.Connection;
import dev.switchboard.endpoints.SwitchboardEndpoint;
import dev.switchboard.events.Namespace;
import dev.switchboard.groups.Groups;
import dev.switchboard.groups.Join;
import dev.switchboard.groups.JoinDeniedException;
import java.util.Map;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.server.PathParam;

/**
 * The reference's complete chat application, {@code ws://host:9080/chat/{room}}: joins group {@code chat_{room}} and
 * fires every JSON object it receives as a {@link RoomMessage}. Its lifecycle events are in namespace {@code
 * websocket}. {@code ?since=<offset>&epoch=<epoch>} resumes after the last message the client has.
 */
@SwitchboardEndpoint(value = "/chat/{room}", namespace = ChatRoomEndpoint.NAMESPACE)
public class ChatRoomEndpoint {

    static final String NAMESPACE = "websocket";

    @Inject
    Groups groups;

    private String name; // one instance per connection: its name is checked once, when it opens

    @Inject
    @Namespace("room")
    Event<RoomMessage> roomMessages;

    /**
     * Observers of ConnectionOpened have sent the welcome by now; the member shows its name ({@code ?name=}, or the
     * signed-in user's). A refused join, or a name that breaks the rule, closes with 1008 and why.
     */
    @OnOpen
    public void open(Connection connection, @PathParam("room") String room) {
        try {
            name = Rooms.nameOf(connection);
        } catch (IllegalArgumentException e) {
            throw new JoinDeniedException(Rooms.group(room), e.getMessage());
        }
        groups.join(Rooms.group(room), connection, Join.from(connection.queryParameters())
                .withAttributes(Map.of("name", name)));
    }

    @OnMessage
    public void message(JsonObject message, Connection connection, @PathParam("room") String room) {
        roomMessages.fire(new RoomMessage(room, message, name, connection.principal().isPresent()));
    }
}
