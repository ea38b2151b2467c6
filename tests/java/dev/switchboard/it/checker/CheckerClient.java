package dev.switchboard.it.checker;

import dev.switchboard.connections.Connections;
import dev.switchboard.it.Server;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.net.URI;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * One connection of the checker: a real WebSocket client (the JDK's) that records every frame into its {@link Session},
 * and can stop and start reading (it then takes no frame from its socket, so the server's writes to it block).
 */
final class CheckerClient implements WebSocket.Listener {

    private static final java.util.concurrent.atomic.AtomicLong OPENED = new java.util.concurrent.atomic.AtomicLong();
    private static final java.util.concurrent.atomic.LongAdder JOINED = new java.util.concurrent.atomic.LongAdder();

    /** The publisher of messages the server sends to a room itself, such as presence. */
    static final String SERVER = "(server)";

    final Session session;
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;
    private boolean paused; // guarded by this
    private boolean owed;   // a frame was taken while paused: request the next one on resume

    private CheckerClient(Session session) {
        this.session = session;
    }

    /** Opens {@code uri}; {@code session} says how it behaves and gets what it receives. */
    static CheckerClient open(String uri, Session session) {
        CheckerClient client = new CheckerClient(session);
        client.paused = session.role == Session.Role.STALLED;
        WebSocket.Builder builder = Server.HTTP_CLIENT.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(20));
        if (OPENED.getAndIncrement() % 2 == 1) { // every other connection asks for joined frames
            builder.subprotocols(Connections.BATCH_SUBPROTOCOL);
        }
        client.socket = builder.buildAsync(URI.create(uri), client).orTimeout(30, TimeUnit.SECONDS).join();
        return client;
    }

    /** @return frames received so far, by every client, that joined several messages */
    static long joinedFrames() {
        return JOINED.sum();
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        if (session.role != Session.Role.STALLED) {
            webSocket.request(1);
        }
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String text = partial.toString();
            partial.setLength(0);
            if (Connections.BATCH_SUBPROTOCOL.equals(webSocket.getSubprotocol())) {
                String[] messages = text.split("\n", -1);
                if (messages.length > 1) {
                    JOINED.increment();
                }
                for (String message : messages) {
                    record(message);
                }
            } else {
                record(text);
            }
        }
        synchronized (this) {
            if (paused) {
                owed = true;
            } else {
                webSocket.request(1);
            }
        }
        return null;
    }

    private void record(String text) {
        JsonObject json;
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            json = reader.readObject();
        }
        Session.Frame frame = null;
        String type = json.getString("type", "");
        if (type.equals("reset")) {
            frame = new Session.Frame(null, new Session.Reset(json.getJsonNumber("offset").longValue(),
                    json.getString("epoch")), null);
        } else if (type.equals("error")) {
            frame = new Session.Frame(null, null, json.getString("error", text));
        } else if (json.containsKey("message") && json.get("message") instanceof JsonObject message
                && message.containsKey("p")) {
            frame = new Session.Frame(new Session.Message(message.getString("p"),
                    message.getJsonNumber("s").longValue(),
                    json.containsKey("offset") ? json.getJsonNumber("offset").longValue() : 0,
                    json.getString("epoch", null)), null, null);
        } else if (json.containsKey("offset") && json.containsKey("epoch")) {
            // the room's own messages (presence joined/left) take offsets too: they are part of the stream
            long offset = json.getJsonNumber("offset").longValue();
            frame = new Session.Frame(new Session.Message(SERVER, offset, offset, json.getString("epoch")), null, null);
        }
        if (frame != null) {
            synchronized (session) {
                session.frames.add(frame);
            }
        }
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, java.nio.ByteBuffer message) {
        synchronized (this) { // the JDK answers the ping itself; a paused client must not take a frame for it
            if (paused) {
                owed = true;
            } else {
                webSocket.request(1);
            }
        }
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        if (!session.endedByClient) {
            session.closeReason = reason;
            session.closeCode = statusCode;
        }
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        if (!session.endedByClient) {
            session.closeCode = 1006;
            session.closeReason = String.valueOf(error);
        }
    }

    /** Stops taking frames. */
    synchronized void pause() {
        paused = true;
    }

    /** Takes frames again. */
    synchronized void resume() {
        paused = false;
        if (owed || session.role == Session.Role.STALLED) {
            owed = false;
            socket.request(1);
        }
    }

    /** Publishes message {@code seq} (recorded first, so a message that the server stamps is always known). */
    void publish(long seq, String pad) {
        synchronized (session) {
            session.published.add(seq);
        }
        socket.sendText("{\"p\":\"" + session.client + "\",\"s\":" + seq + ",\"pad\":\"" + pad + "\"}", true)
                .orTimeout(20, TimeUnit.SECONDS).join();
    }

    /** Sending {@code seq} failed: it was never sent, so nobody is owed it, and this publisher stops. */
    void publishFailed(long seq, RuntimeException why) {
        synchronized (session) {
            session.published.remove(Long.valueOf(seq));
        }
        System.out.println("checker: " + session + " could not send seq " + seq + ": " + why);
        session.endedByClient = true;
    }

    boolean isOpen() {
        return !socket.isInputClosed() && session.openToTheEnd();
    }

    /** Ends the connection without a close frame, as a dropped network would. */
    void abort() {
        session.endedByClient = true;
        socket.abort();
    }

    /** Ends the connection with a close frame. */
    void close() {
        session.endedByClient = true;
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
        }
        socket.abort(); // do not wait for the server's answer: a paused client would never read it
    }

    /** @return the last offset and epoch this connection got, as a resume would ask for them; null if none */
    String[] lastPosition() {
        synchronized (session) {
            for (int i = session.frames.size() - 1; i >= 0; i--) {
                Session.Frame f = session.frames.get(i);
                if (f.message() != null && f.message().epoch() != null) {
                    return new String[] {String.valueOf(f.message().offset()), f.message().epoch()};
                }
                if (f.reset() != null) {
                    return new String[] {String.valueOf(f.reset().offset()), f.reset().epoch()};
                }
            }
        }
        return null;
    }
}
