package dev.switchboard.example;

import dev.switchboard.connections.ConnectionOpened;
import dev.switchboard.connections.MessageReceived;
import dev.switchboard.connections.Connection;
import dev.switchboard.events.Namespace;
import dev.switchboard.groups.Groups;
import dev.switchboard.once.Once;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import dev.switchboard.groups.GroupMember;
import dev.switchboard.groups.MemberJoined;
import dev.switchboard.groups.MemberLeft;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.spi.JsonProvider;
import java.util.logging.Logger;

/** The observers of the chat rooms: welcome, broadcast, presence, and the namespaced-events snippet. */
@ApplicationScoped
public class ChatRoom {

    private static final Logger LOG = Logger.getLogger(ChatRoom.class.getName());
    // Json.createObjectBuilder() looks the provider up through ServiceLoader on every call: a profile showed it on the
    // send path of every room message.
    private static final JsonProvider JSON = JsonProvider.provider();

    @Inject
    Groups groups;

    /** {@code @app.events.once("connection.init")}: the first frame of every room connection. */
    @Once(per = Once.Per.CONNECTION)
    void welcome(@Observes @Namespace(ChatRoomEndpoint.NAMESPACE) ConnectionOpened opened) {
        opened.connection().send(JSON.createObjectBuilder().add("type", "welcome").build());
    }

    /** The reference's {@code broadcast}: every member of the room, sender included, gets the message once. */
    void broadcast(@Observes @Namespace("room") RoomMessage message) {
        groups.send(Rooms.group(message.room()), JSON.createObjectBuilder()
                .add("room", message.room())
                .add("message", message.message())
                .add("from", message.from())
                .add("signedIn", message.signedIn())
                .add("at", System.currentTimeMillis())
                .build());
    }

    /**
     * Presence: the newcomer gets the member list, on every server; everyone gets {@code
     * {"type":"presence","joined":..}}.
     */
    void joined(@Observes @Namespace(Namespace.GROUP) MemberJoined joined) {
        if (!joined.group().startsWith(Rooms.PREFIX)) {
            return;
        }
        Connection newcomer = joined.member().connection().orElseThrow(); // a join is always fired where it happened
        groups.presence(joined.group()).whenComplete((list, failure) -> {
            if (failure != null) {
                LOG.warning(() -> "No member list for " + newcomer.id() + ": " + failure);
                return;
            }
            JsonArrayBuilder members = JSON.createArrayBuilder();
            list.forEach(m -> members.add(json(m)));
            newcomer.send(JSON.createObjectBuilder().add("type", "presence").add("members", members).build());
        });
        groups.send(joined.group(), JSON.createObjectBuilder()
                .add("type", "presence").add("joined", json(joined.member())).build());
    }

    /**
     * Presence: everyone left gets {@code {"type":"presence","left":..}}; for a crashed server's members, from the
     * server that noticed, once.
     */
    void left(@Observes @Namespace(Namespace.GROUP) MemberLeft left) {
        if (left.group().startsWith(Rooms.PREFIX)) {
            groups.send(left.group(), JSON.createObjectBuilder()
                    .add("type", "presence").add("left", json(left.member())).build());
        }
    }

    static JsonObject json(GroupMember member) {
        JsonObjectBuilder attributes = JSON.createObjectBuilder();
        member.attributes().forEach(attributes::add);
        JsonObjectBuilder json = JSON.createObjectBuilder()
                .add("id", member.id())
                .add("server", member.server())
                .add("joinedAt", member.joinedAt().toString())
                .add("attributes", attributes);
        member.principal().ifPresent(p -> json.add("principal", p));
        return json.build();
    }

    /** The namespaced-events snippet: {@code ws_events.on("message.received")} in namespace {@code websocket}. */
    void logMessage(@Observes @Namespace(ChatRoomEndpoint.NAMESPACE) MessageReceived received) {
        if (received.message().containsKey("content")) { // the snippet's messages; others are not logged one by one
            LOG.info(() -> "New message: " + received.message().get("content"));
        }
    }
}
