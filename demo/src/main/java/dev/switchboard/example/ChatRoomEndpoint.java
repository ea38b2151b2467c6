package dev.switchboard.example;

import dev.switchboard.connections.Connection;
import dev.switchboard.endpoints.SwitchboardEndpoint;
import dev.switchboard.events.Namespace;
import dev.switchboard.groups.Groups;
import dev.switchboard.groups.Join;
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

    @Inject
    @Namespace("room")
    Event<RoomMessage> roomMessages;

    /** Observers of ConnectionOpened have sent the welcome by now; a refused join closes with 1008 and why. */
    @OnOpen
    public void open(Connection connection, @PathParam("room") String room) {
        groups.join(Rooms.group(room), connection, Join.from(connection.queryParameters()));
    }

    @OnMessage
    public void message(JsonObject message, @PathParam("room") String room) {
        roomMessages.fire(new RoomMessage(room, message));
    }
}
