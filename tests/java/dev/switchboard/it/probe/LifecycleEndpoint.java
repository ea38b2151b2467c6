package dev.switchboard.it.probe;

import dev.switchboard.connections.Connection;
import dev.switchboard.connections.InvalidMessageException;
import dev.switchboard.endpoints.SwitchboardEndpoint;
import dev.switchboard.groups.Groups;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.server.PathParam;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code /probe/lifecycle/{mode}?token=t}: a Switchboard endpoint with every lifecycle method, recording what ran under
 * the token ({@code GET /api/probe/records?id=t}). Modes: {@code plain}; {@code open-invalid} (@OnOpen throws
 * InvalidMessageException); {@code open-throws} (IllegalStateException with a secret); {@code open-error} (an Error);
 * {@code open-closes} (@OnOpen closes the connection itself). Messages: {@code {"do":"boom"}} throws
 * IllegalStateException with a secret, {@code {"do":"invalid"}} InvalidMessageException, {@code {"do":"hold"}}
 * holds the callback until the test releases the token ({@code POST /api/probe/release?token=}), anything else is
 * echoed. Mode {@code kick}: @OnOpen closes the other members of
 * its group.
 */
@SwitchboardEndpoint("/probe/lifecycle/{mode}")
public class LifecycleEndpoint {

    public static final String SECRET = "secret-detail-42";

    @Inject
    Probe probe;

    @Inject
    Groups groups;

    private static final Map<String, CountDownLatch> KICKERS = new ConcurrentHashMap<>();

    private String token;
    private volatile boolean inCallback;

    private void record(String what) {
        probe.record(token, what + (inCallback ? " (inside another callback)" : ""));
    }

    @OnOpen
    public void open(Connection connection, @PathParam("mode") String mode) throws Exception {
        token = connection.queryParameters().getOrDefault("token", java.util.List.of("none")).get(0);
        groups.join("lifecycle-" + token, connection);
        record("open");
        inCallback = true;
        try {
            switch (mode) {
                case "open-invalid" -> throw new InvalidMessageException("not today");
                case "open-throws" -> throw new IllegalStateException(SECRET);
                case "open-error" -> throw new AssertionError(SECRET);
                case "open-closes" -> {
                    connection.close(CloseReason.CloseCodes.NORMAL_CLOSURE, "closed by open");
                    // Until the close has reached Switchboard (whichever thread it came on), still inside @OnOpen: an
                    // @OnClose that ran re-entrantly or on another thread now would show up as "inside".
                    connection.closed().toCompletableFuture().get(20, TimeUnit.SECONDS);
                }
                case "kick" -> { // closes the other members of its group: two of these closing each other at once
                    // Both inside @OnOpen, each holding its own turn, before either closes the other.
                    KICKERS.computeIfAbsent(token, t -> new CountDownLatch(2)).countDown();
                    KICKERS.get(token).await(20, TimeUnit.SECONDS);
                    for (Connection other : groups.members("lifecycle-" + token)) {
                        if (!other.equals(connection)) {
                            other.close(CloseReason.CloseCodes.NORMAL_CLOSURE, "kicked");
                        }
                    }
                }
                default -> { }
            }
        } finally {
            inCallback = false;
            probe.record(token, "open returned");
        }
    }

    @OnMessage
    public JsonObject message(JsonObject message) throws InterruptedException {
        switch (message.getString("do", "")) {
            case "hold" -> {
                inCallback = true;
                probe.record(token, "holding");
                boolean released = PausingEndpoint.awaitRelease(token, 20);
                inCallback = false;
                probe.record(token, released ? "released" : "not released within 20 s");
                return message;
            }
            case "boom" -> throw new IllegalStateException(SECRET);
            case "invalid" -> throw new InvalidMessageException("say why");
            default -> {
                return message;
            }
        }
    }

    @OnError
    public void error(Throwable error) {
        record("error " + error.getClass().getSimpleName());
    }

    @OnClose
    public void close(CloseReason reason) {
        record("close " + reason.getCloseCode().getCode());
    }

    @PreDestroy
    void destroyed() {
        record("destroyed");
    }

    /** Records the ConnectionError Switchboard fires for these connections, beside the class's own @OnError. */
    @jakarta.enterprise.context.ApplicationScoped
    public static class Errors {

        @Inject
        Probe probe;

        void failed(@jakarta.enterprise.event.Observes @dev.switchboard.events.Namespace(
                dev.switchboard.events.Namespace.WS) dev.switchboard.connections.ConnectionError event) {
            java.util.List<String> token = event.connection().queryParameters().get("token");
            if (token != null && event.connection().pathParameters().containsKey("mode")) {
                probe.record(token.get(0), "ConnectionError " + event.error().getClass().getSimpleName());
            }
        }
    }

}
