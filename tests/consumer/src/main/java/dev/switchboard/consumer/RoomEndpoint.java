package dev.switchboard.consumer;

import dev.switchboard.connections.Connection;
import dev.switchboard.endpoints.SwitchboardEndpoint;
import dev.switchboard.groups.Groups;
import dev.switchboard.groups.Join;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.server.PathParam;

@SwitchboardEndpoint(value = "/rooms/{room}", namespace = "rooms")
public class RoomEndpoint {

    @Inject
    Groups groups;

    @OnOpen
    public void open(Connection connection, @PathParam("room") String room) {
        groups.join("room-" + room, connection, Join.from(connection.queryParameters()));
    }

    @OnMessage
    public void message(JsonObject message, @PathParam("room") String room) {
        groups.send("room-" + room, message);
    }
}
