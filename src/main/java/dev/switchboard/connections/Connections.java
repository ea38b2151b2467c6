package dev.switchboard.connections;

import jakarta.json.JsonObject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.util.Optional;
import java.util.Set;

/**
 * What a {@code @ServerEndpoint} tells Switchboard, one line per callback:
 *
 * <pre>{@code
 * @OnOpen    void open(Session s)                  { connections.opened(s, "chat"); }
 * @OnMessage void message(Session s, String text) { connections.received(s, text); }
 * @OnError   void error(Session s, Throwable t)    { connections.failed(s, t); }
 * @OnClose   void close(Session s, CloseReason r)  { connections.closed(s, r); }
 * }</pre>
 *
 * Each call fires the matching lifecycle event, synchronously, in the connection's namespace, through {@link
 * dev.switchboard.events.Events}: an observer that throws is logged and reported, never breaks the endpoint.
 */
public interface Connections {

    /**
     * The WebSocket subprotocol of joined frames. A client that asks for it ({@code new WebSocket(url,
     * "switchboard.batch")}) may get several messages in one text frame, one JSON message per line ({@code \n}
     * between them, none at the end): when its outbox holds more than one message, the sender writes them as one frame
     * of at most {@code switchboard.outbox.batch-max-bytes}. A lone message is never held back. A client that does not
     * ask gets one message per frame. Every {@code @SwitchboardEndpoint} offers it; a plain {@code @ServerEndpoint}
     * that wants it lists it in its {@code subprotocols}.
     */
    String BATCH_SUBPROTOCOL = "switchboard.batch";

    /**
     * Wraps a new session and fires {@link ConnectionOpened} in namespace {@value dev.switchboard.events.Namespace#WS}.
     *
     * @param session the session from {@code @OnOpen}
     * @return the connection handle
     */
    Connection opened(Session session);

    /**
     * Wraps a new session and fires {@link ConnectionOpened} in {@code namespace}; its later events use it too.
     *
     * @param session the session from {@code @OnOpen}
     * @param namespace the namespace of this connection's lifecycle events
     * @return the connection handle
     */
    Connection opened(Session session, String namespace);

    /**
     * Decodes a text frame. A JSON object fires {@link MessageReceived} and is returned; anything else gets {@code
     * {"type":"error","error":"<why>"}} back to this client only, fires {@link ConnectionError} with an {@link
     * InvalidMessageException}, and returns empty. Either way the connection stays open.
     *
     * @param session the session from {@code @OnMessage}
     * @param text the frame
     * @return the decoded object, or empty if the frame was refused
     * @throws IllegalStateException if {@link #opened} was not called for this session
     */
    Optional<JsonObject> received(Session session, String text);

    /**
     * Fires {@link ConnectionError}; if the session is no longer open, also ends the connection as {@link #closed}
     * would, with code 1006.
     *
     * @param session the session from {@code @OnError}
     * @param error what the container reported
     */
    void failed(Session session, Throwable error);

    /**
     * Ends the connection: it leaves its groups, its queued messages fail, and {@link ConnectionClosed} fires once.
     *
     * @param session the session from {@code @OnClose}
     * @param reason the close reason
     */
    void closed(Session session, CloseReason reason);

    /**
     * @param session a session
     * @return its connection, if {@link #opened} was called for it and it has not closed
     */
    Optional<Connection> find(Session session);

    /** @return how many connections are open */
    int count();

    /** @return the open connections now, of every endpoint; an immutable snapshot */
    Set<Connection> list();
}
