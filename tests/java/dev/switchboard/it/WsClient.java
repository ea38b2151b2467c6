package dev.switchboard.it;

import static org.assertj.core.api.Assertions.fail;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.net.URI;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real WebSocket client (the JDK's), collecting the messages it receives: one per text frame, or, on a connection that
 * asked for joined frames ({@link #connectBatched}), each line of a frame.
 */
public final class WsClient implements WebSocket.Listener, AutoCloseable {

    /** How long a test waits for one frame before it fails. */
    public static final Duration FRAME_WAIT = Duration.ofSeconds(20);

    /** How the server closed the connection. */
    public record Close(int code, String reason) {
    }

    private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Close> closed = new CompletableFuture<>();
    private final boolean reading;
    private final boolean presence;
    private final StringBuilder partial = new StringBuilder();
    private final java.util.concurrent.atomic.AtomicInteger textFrames = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger joinedFrames = new java.util.concurrent.atomic.AtomicInteger();
    private final boolean batched;
    private WebSocket socket;

    private WsClient(boolean reading, boolean presence, boolean batched) {
        this.reading = reading;
        this.presence = presence;
        this.batched = batched;
    }

    /** Connects to {@code path} (for example {@code /chat/lobby}) and reads every frame. */
    public static WsClient connect(String path) {
        return connectAsync(path, true).join();
    }

    /** Connects to {@code path} but never reads a frame: a browser tab that stopped reading. */
    public static WsClient connectNotReading(String path) {
        return connectAsync(path, false, true).join();
    }

    /**
     * Joins a demo room and returns once the server has made it a member: the welcome and the member list (which is
     * sent after the join) have arrived. Presence joined/left frames are then left out: for tests about other frames.
     */
    public static WsClient joinRoom(String room) {
        WsClient client = connectIgnoringPresence("/chat/" + room);
        JsonObject welcome = client.nextJson();
        if (!"welcome".equals(welcome.getString("type", ""))) {
            fail("expected the welcome first, got " + welcome);
        }
        JsonObject members = client.nextJson();
        if (!members.containsKey("members")) {
            fail("expected the member list second, got " + members);
        }
        return client;
    }

    /** Connects to {@code path} and reads every frame but presence joined/left frames. */
    public static WsClient connectIgnoringPresence(String path) {
        return connectAsync(path, true, false).join();
    }

    public static CompletableFuture<WsClient> connectAsync(String path, boolean reading) {
        return connectAsync(path, reading, true);
    }

    public static CompletableFuture<WsClient> connectAsync(String path, boolean reading, boolean presence) {
        return connectAsync(path, reading, presence, Map.of());
    }

    /** Connects with extra handshake headers, for example {@code Authorization} or {@code Origin}. */
    public static CompletableFuture<WsClient> connectAsync(String path, boolean reading, boolean presence,
            Map<String, String> headers) {
        return connectAsync(Server.WS, path, reading, presence, headers);
    }

    /** Connects to {@code path} on the server at {@code base} (for example {@code ws://localhost:9181}). */
    public static CompletableFuture<WsClient> connectAsync(String base, String path, boolean reading,
            boolean presence, Map<String, String> headers) {
        return connectAsync(base, path, reading, presence, headers, false);
    }

    /**
     * Connects to {@code path}, asking for joined frames (subprotocol {@code switchboard.batch}), and reads every
     * message but presence joined/left ones; {@link #subprotocol()} tells whether the server agreed.
     */
    public static WsClient connectBatched(String path) {
        return connectAsync(Server.WS, path, true, false, Map.of(), true).join();
    }

    private static CompletableFuture<WsClient> connectAsync(String base, String path, boolean reading,
            boolean presence, Map<String, String> headers, boolean batched) {
        WsClient client = new WsClient(reading, presence, batched);
        WebSocket.Builder builder = Server.HTTP_CLIENT.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(20));
        headers.forEach(builder::header);
        if (batched) {
            builder.subprotocols(dev.switchboard.connections.Connections.BATCH_SUBPROTOCOL);
        }
        return builder.buildAsync(URI.create(base + path), client)
                .thenApply(ws -> {
                    client.socket = ws;
                    return client;
                });
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        if (reading) {
            webSocket.request(1);
        }
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String frame = partial.toString();
            partial.setLength(0);
            textFrames.incrementAndGet();
            boolean joined = batched && dev.switchboard.connections.Connections.BATCH_SUBPROTOCOL
                    .equals(webSocket.getSubprotocol());
            String[] messages = joined ? frame.split("\n", -1) : new String[] {frame};
            if (messages.length > 1) {
                joinedFrames.incrementAndGet();
            }
            for (String message : messages) {
                if (presence || !(message.startsWith("{\"type\":\"presence\",\"joined\"")
                        || message.startsWith("{\"type\":\"presence\",\"left\""))) {
                    frames.add(message);
                }
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(new Close(statusCode, reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.completeExceptionally(error);
    }

    /** Sends one text frame and waits (at most {@link #FRAME_WAIT}) until the JDK has handed it to the socket. */
    public WsClient send(String text) {
        try {
            socket.sendText(text, true).get(FRAME_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new AssertionError("could not send within " + FRAME_WAIT + ": " + e, e);
        }
        return this;
    }

    /** @return the next frame; fails the test if none arrives within {@link #FRAME_WAIT} */
    public String next() {
        return next(FRAME_WAIT);
    }

    /** @return the next frame; fails the test if none arrives within {@code wait} */
    public String next(Duration wait) {
        try {
            String frame = frames.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
            if (frame == null) {
                fail("no frame within " + wait + (closed.isDone() ? "; closed: " + closed.getNow(null) : ""));
            }
            return frame;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public JsonObject nextJson() {
        return parse(next());
    }

    /** @return the next {@code n} frames, parsed */
    public List<JsonObject> nextJson(int n) {
        List<JsonObject> all = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            all.add(nextJson());
        }
        return all;
    }

    /** @return the subprotocol the server agreed to, or "" */
    public String subprotocol() {
        return socket.getSubprotocol();
    }

    /** @return text frames received so far (a joined frame counts once) */
    public int textFrames() {
        return textFrames.get();
    }

    /** @return text frames received so far that held more than one message */
    public int joinedFrames() {
        return joinedFrames.get();
    }

    /** @return a frame that has already arrived, without waiting, or null */
    public String poll() {
        return frames.poll();
    }

    /** @return the close the server sent; fails the test if it does not come within {@link #FRAME_WAIT} */
    public Close awaitClose() {
        try {
            return closed.get(FRAME_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("no close within " + FRAME_WAIT, e);
        }
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    /** A client made with {@code reading = false} starts reading now: what waited in the socket arrives. */
    public void startReading() {
        socket.request(1);
    }

    /** Drops the TCP connection without a close frame. */
    public void abort() {
        socket.abort();
    }

    @Override
    public void close() {
        if (!reading) {
            abort(); // it would never read the server's close frame
            return;
        }
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
        }
        if (!closed.isDone()) {
            closed.completeOnTimeout(new Close(-1, "closed by test"), 5, TimeUnit.SECONDS);
        }
    }

    public static JsonObject parse(String text) {
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }
}
