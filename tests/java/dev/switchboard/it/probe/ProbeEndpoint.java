package dev.switchboard.it.probe;

import dev.switchboard.connections.Connection;
import dev.switchboard.connections.Connections;
import dev.switchboard.connections.MessageReceived;
import dev.switchboard.events.Events;
import dev.switchboard.events.Namespace;
import dev.switchboard.once.Once;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;

/**
 * {@code /probe/once}: every message fires {@link Knock} (a per-connection {@code @Once} observer answers {@code
 * {"once":true}}), then is acknowledged with {@code {"ack":<n>}}. A message with {@code "boom":true} makes an observer
 * of it throw; one with {@code "visit":"stereotype"} or {@code "visit":"inherited"} also fires {@link
 * OnceProbes.StereotypeVisit} or {@link OnceProbes.InheritedVisit}.
 */
@Dependent
@ServerEndpoint("/probe/once")
public class ProbeEndpoint {

    @Inject
    Connections connections;

    @Inject
    Events events;

    @OnOpen
    public void open(Session session) {
        connections.opened(session, "probe");
    }

    @OnMessage
    public void message(Session session, String text) {
        connections.received(session, text).ifPresent(message -> {
            Connection connection = connections.find(session).orElseThrow();
            events.namespace("probe").emit(new Knock(connection));
            switch (message.getString("visit", "")) {
                case "stereotype" -> events.namespace("probe").emit(new OnceProbes.StereotypeVisit(connection));
                case "inherited" -> events.namespace("probe").emit(new OnceProbes.InheritedVisit(connection));
                default -> { }
            }
            connection.send(Json.createObjectBuilder().add("ack", message.getInt("n", -1)).build());
        });
    }

    @OnError
    public void error(Session session, Throwable error) {
        connections.failed(session, error);
    }

    @OnClose
    public void close(Session session, CloseReason reason) {
        connections.closed(session, reason);
    }

    @ApplicationScoped
    public static class Observers {
        @Once(per = Once.Per.CONNECTION)
        void onceEach(@Observes @Namespace("probe") Knock knock) {
            knock.connection().send(Json.createObjectBuilder().add("once", true).build());
        }

        void boom(@Observes @Namespace("probe") MessageReceived received) {
            if (received.message().getBoolean("boom", false)) {
                throw new IllegalStateException("observer boom on " + received.connection().id());
            }
        }
    }
}
