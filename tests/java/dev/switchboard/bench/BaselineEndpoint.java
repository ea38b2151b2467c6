package dev.switchboard.bench;

import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.spi.JsonProvider;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The baseline: what a Jakarta EE team writes by hand today. Sessions per room in a concurrent map; each message is
 * sent to every session of the room with the blocking basic remote, synchronized per session (the container throws
 * on concurrent sends), on the thread that read the message. Deployed only for the benchmark.
 *
 * <p>It sends the frame {@code /chat/{room}} sends to its members, with the same members in the same order and of the
 * same size: {@code {"room":..,"message":..,"from":"guest-xxxx","signedIn":false,"at":<ms>,"offset":<n>,
 * "epoch":"<16 hex>"}} (the demo's rooms keep history, so the module stamps an offset and an epoch into each), so
 * that both systems write the same bytes per member and the load generator parses the same bytes.
 *
 * <p>{@code ?also=<room>} (repeatable) makes the session a member of more rooms; what it sends still goes to the room
 * of its path. The benchmark's stalled members use it: each sends into a room of its own (the normal loop below) to
 * fill its socket, while it is a member of the measured room. There is no other code for the benchmark here.
 */
@ServerEndpoint("/baseline/{room}")
public class BaselineEndpoint {

    private static final Map<String, Set<Session>> ROOMS = new ConcurrentHashMap<>();
    private static final Map<String, AtomicLong> OFFSETS = new ConcurrentHashMap<>();
    private static final String EPOCH = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    private static final JsonProvider JSON = JsonProvider.provider();

    private String name; // one instance per session
    private final List<String> rooms = new ArrayList<>();

    @OnOpen
    public void open(Session session, @PathParam("room") String room) {
        name = "guest-" + session.getId().substring(0, Math.min(4, session.getId().length()));
        rooms.add(room);
        List<String> also = session.getRequestParameterMap().get("also");
        if (also != null) {
            rooms.addAll(also);
        }
        for (String r : rooms) {
            ROOMS.compute(r, (key, members) -> {
                Set<Session> s = members == null ? ConcurrentHashMap.newKeySet() : members;
                s.add(session);
                return s;
            });
        }
    }

    @OnMessage
    public void message(Session session, String text, @PathParam("room") String room) {
        JsonObject message;
        try (JsonReader reader = JSON.createReader(new StringReader(text))) {
            message = reader.readObject();
        }
        String frame = JSON.createObjectBuilder().add("room", room).add("message", message).add("from", name)
                .add("signedIn", session.getUserPrincipal() != null).add("at", System.currentTimeMillis()).build()
                .toString();
        long offset = OFFSETS.computeIfAbsent(room, r -> new AtomicLong()).incrementAndGet();
        frame = frame.substring(0, frame.length() - 1) + ",\"offset\":" + offset + ",\"epoch\":\"" + EPOCH + "\"}";
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

    @OnError
    public void error(Session session, Throwable error) {
        // the hand-written endpoint ignores errors; close follows
    }

    @OnClose
    public void close(Session session, CloseReason reason) {
        for (String r : rooms) {
            ROOMS.computeIfPresent(r, (key, members) -> {
                members.remove(session);
                if (members.isEmpty()) {
                    OFFSETS.remove(key);
                    return null;
                }
                return members;
            });
        }
    }
}
