package dev.switchboard.consumer;

import dev.switchboard.connections.ConnectionOpened;
import dev.switchboard.events.Namespace;
import dev.switchboard.groups.GroupPolicy;
import dev.switchboard.groups.Groups;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Map;

@ApplicationScoped
public class Rooms {

    @Inject
    Groups groups;

    void keepHistory(@Observes @Initialized(ApplicationScoped.class) Object started) {
        groups.policy("room-", GroupPolicy.withHistory(1_000));
    }

    void welcome(@Observes @Namespace("rooms") ConnectionOpened opened) {
        opened.connection().send(Map.of("type", "welcome", "id", opened.connection().id()));
    }
}
