package dev.switchboard.example;

import dev.switchboard.connections.ConnectionOpened;
import dev.switchboard.connections.MessageReceived;
import dev.switchboard.events.Namespace;
import dev.switchboard.groups.Groups;
import dev.switchboard.once.Once;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.Json;
import java.util.logging.Logger;

/** The observers of the chat rooms: welcome, broadcast, and the namespaced-events snippet. */
@ApplicationScoped
public class ChatRoom {

    private static final Logger LOG = Logger.getLogger(ChatRoom.class.getName());

    @Inject
    Groups groups;

    /** {@code @app.events.once("connection.init")}: the first frame of every room connection. */
    @Once(per = Once.Per.CONNECTION)
    void welcome(@Observes @Namespace(ChatRoomEndpoint.NAMESPACE) ConnectionOpened opened) {
        opened.connection().send(Json.createObjectBuilder().add("type", "welcome").build());
    }

    /** The reference's {@code broadcast}: every member of the room, sender included, gets the message once. */
    void broadcast(@Observes @Namespace("room") RoomMessage message) {
        groups.send(ChatRoomEndpoint.group(message.room()), Json.createObjectBuilder()
                .add("room", message.room())
                .add("message", message.message())
                .build());
    }

    /** The namespaced-events snippet: {@code ws_events.on("message.received")} in namespace {@code websocket}. */
    void logMessage(@Observes @Namespace(ChatRoomEndpoint.NAMESPACE) MessageReceived received) {
        LOG.info(() -> "New message: " + received.message().get("content"));
    }
}
