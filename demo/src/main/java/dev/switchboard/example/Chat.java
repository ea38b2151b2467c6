package dev.switchboard.example;

import dev.switchboard.connections.ConnectionOpened;
import dev.switchboard.events.Namespace;
import dev.switchboard.groups.Groups;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.logging.Logger;

/** The observers of {@code /chat}: log what happens, and deliver every message to every {@code /chat} client. */
@ApplicationScoped
public class Chat {

    private static final Logger LOG = Logger.getLogger(Chat.class.getName());

    @Inject
    Groups groups;

    void connected(@Observes @Namespace(Namespace.WS) ConnectionOpened opened) {
        LOG.info(() -> "ws.connected: " + opened.connection().id());
    }

    void message(@Observes @Namespace("chat") ChatMessage chat) {
        LOG.info(() -> "chat.message from " + chat.connection().id() + ": " + chat.message());
        groups.send(ChatEndpoint.GROUP, chat.message());
    }
}
