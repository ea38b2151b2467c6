package dev.switchboard.example;

import dev.switchboard.connections.Connection;
import dev.switchboard.endpoints.SwitchboardEndpoint;
import dev.switchboard.groups.Groups;
import jakarta.inject.Inject;
import jakarta.websocket.OnOpen;

/** {@code ws://host:9080/notifications}: receives what {@code POST /api/notifications} creates. */
@SwitchboardEndpoint(value = "/notifications", namespace = NotificationsEndpoint.GROUP)
public class NotificationsEndpoint {

    static final String GROUP = "notifications";

    @Inject
    Groups groups;

    @OnOpen
    public void open(Connection connection) {
        groups.join(GROUP, connection);
    }
}
