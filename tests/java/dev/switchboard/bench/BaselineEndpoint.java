package dev.switchboard.bench;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;
import java.io.IOException;
import java.io.StringReader;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The baseline: what a Jakarta EE team writes by hand today. Sessions per room in a concurrent map; each message is
 * sent to every session of the room with the blocking basic remote, synchronized per session (the container throws
 * on concurrent sends). Same frame as {@code /chat/{room}}: {@code {"room":..,"message":..}}. Deployed only for the
 * benchmark.
 */
@ServerEndpoint("/baseline/{room}")
public class BaselineEndpoint {

    private static final Map<String, Set<Session>> ROOMS = new ConcurrentHashMap<>();

    @OnOpen
    public void open(Session session, @PathParam("room") String room) {
        ROOMS.computeIfAbsent(room, r -> ConcurrentHashMap.newKeySet()).add(session);
    }

    @OnMessage
    public void message(Session session, String text, @PathParam("room") String room) {
        JsonObject message;
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            message = reader.readObject();
        }
        if (message.containsKey("fill")) { // the harness, not the hand-written endpoint: see fill(..)
            fill(session, message.getInt("fill"), message.getInt("size"));
            return;
        }
        String frame = Json.createObjectBuilder().add("room", room).add("message", message).build().toString();
        for (Session member : ROOMS.getOrDefault(room, Set.of())) {
            synchronized (member) {
                try {
                    if (member.isOpen()) {
                        member.getBasicRemote().sendText(frame);
                    }
                } catch (IOException | IllegalStateException e) {
                    // a closed member: the hand-written loop skips it
                }
            }
        }
    }

    /**
     * For the isolation scenario only: sends {@code frames} frames of {@code size} bytes to this session alone, as a
     * room would have over time, so that a member that stopped reading has full socket buffers when the run starts.
     */
    private static void fill(Session session, int frames, int size) {
        String frame = "{\"fill\":\"" + "x".repeat(size) + "\"}";
        synchronized (session) {
            try {
                for (int i = 0; i < frames && session.isOpen(); i++) {
                    session.getBasicRemote().sendText(frame);
                }
            } catch (IOException | IllegalStateException e) {
                // closed meanwhile
            }
        }
    }

    @OnError
    public void error(Session session, Throwable error) {
        // the hand-written endpoint ignores errors; close follows
    }

    @OnClose
    public void close(Session session, CloseReason reason, @PathParam("room") String room) {
        Set<Session> members = ROOMS.get(room);
        if (members != null) {
            members.remove(session);
        }
    }
}
