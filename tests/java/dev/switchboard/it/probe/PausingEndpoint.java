package dev.switchboard.it.probe;

import dev.switchboard.connections.Connection;
import dev.switchboard.connections.Connections;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code /probe/pause}: a server that is busy on demand. {@code {"pause":"<token>"}} answers {@code
 * {"paused":"<token>"}} and then holds this connection's message handling until {@link #release} is called with the
 * token (at most 60 s), so what the client sends meanwhile waits in the socket; {@code {"resumed":true}} follows.
 * Every other message that passes {@link Connections#received} is counted; {@code {"count":true}} answers {@code
 * {"received":<n>}}.
 */
@Dependent
@ServerEndpoint("/probe/pause")
public class PausingEndpoint {

    private static final Map<String, CountDownLatch> PAUSES = new ConcurrentHashMap<>();

    @Inject
    Connections connections;

    private int received; // one instance per connection, called one message at a time

    /** Ends the pause {@code token} now, or before it begins if it has not yet. */
    public static void release(String token) {
        PAUSES.computeIfAbsent(token, t -> new CountDownLatch(1)).countDown();
    }

    /**
     * Holds the calling thread until {@link #release} is called with {@code token}, at most {@code seconds}.
     *
     * @return true if it was released, false if the bound ran out
     */
    public static boolean awaitRelease(String token, long seconds) throws InterruptedException {
        boolean released = PAUSES.computeIfAbsent(token, t -> new CountDownLatch(1)).await(seconds, TimeUnit.SECONDS);
        PAUSES.remove(token);
        return released;
    }

    @OnOpen
    public void open(Session session) {
        connections.opened(session, "pause");
    }

    @OnMessage
    public void message(Session session, String text) throws InterruptedException {
        JsonObject message = connections.received(session, text).orElse(null);
        if (message == null) {
            return; // refused: over the rate, or not JSON
        }
        Connection connection = connections.find(session).orElseThrow();
        if (message.containsKey("pause")) {
            String token = message.getString("pause");
            connection.send(Json.createObjectBuilder().add("paused", token).build());
            boolean released = awaitRelease(token, 60);
            connection.send(Json.createObjectBuilder().add("resumed", released).build());
        } else if (message.containsKey("count")) {
            connection.send(Json.createObjectBuilder().add("received", received).build());
        } else {
            received++;
        }
    }

    @OnError
    public void error(Session session, Throwable error) {
        connections.failed(session, error);
    }

    @OnClose
    public void close(Session session, CloseReason reason) {
        connections.closed(session, reason);
    }
}
