package dev.switchboard.connections;

import jakarta.websocket.CloseReason;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * One open WebSocket connection: the handle every lifecycle event carries (Nexios' {@code Channel}).
 *
 * <p>Sending never blocks: a message is put in the connection's own outbox, which writes at most one frame at a time to
 * the socket, in the order they were sent. The outbox is bounded by {@code switchboard.outbox.max-messages} and
 * {@code switchboard.outbox.max-bytes}; when it is full the new message is refused and its stage fails with {@link
 * OutboxFullException}. Connections are equal only to themselves.
 */
public interface Connection {

    /** @return the id of the underlying WebSocket session, unique among open connections */
    String id();

    /** @return the endpoint's path parameters, for example {@code {room=lobby}}; immutable */
    Map<String, String> pathParameters();

    /**
     * @return the handshake's query parameters, for example {@code {since=[41], epoch=[k2x]}}; immutable. {@link
     *     dev.switchboard.groups.Join#from(Map)} reads a resume from them.
     */
    Map<String, List<String>> queryParameters();

    /** @return the authenticated user, if the handshake had one */
    Optional<Principal> principal();

    /**
     * @param role a role name listed in {@code switchboard.security.roles}
     * @return true if the user who opened the connection had {@code role} at the handshake; false for anonymous
     *     connections, and for roles not listed (the container can only be asked during the handshake)
     */
    boolean isUserInRole(String role);

    /** @return the namespace this connection's lifecycle events are fired in */
    String namespace();

    /**
     * Sends {@code payload} to this connection as one JSON text frame: a {@code jakarta.json.JsonValue} as it is,
     * anything else encoded with JSON-B.
     *
     * @param payload what to send; not null
     * @return completes when the frame is written; fails with {@link OutboxFullException} if the outbox is full, or
     *     with a {@link dev.switchboard.SwitchboardException} if the connection is closed or the write failed. It
     *     completes on one of Switchboard's sender threads, or (when the frame is refused or dropped) on the thread
     *     that caused that, once it holds none of Switchboard's locks: dependent stages may send again. Keep them
     *     short, or run them on a managed executor with the {@code ...Async} variants (a stage that blocks holds a
     *     sender).
     * @throws IllegalArgumentException if the encoded payload is larger than {@code switchboard.outbox.max-bytes}
     */
    CompletionStage<Void> send(Object payload);

    /** @return true until the connection is closed (by either side) or failed */
    boolean isOpen();

    /**
     * Closes the connection with {@code code} and {@code reason}; idempotent. The reason is cut to the 123 bytes a
     * close frame allows.
     *
     * @param code a WebSocket close code, for example 1000 (normal) or 1008 (policy violation)
     * @param reason why, for the client
     */
    void close(CloseReason.CloseCode code, String reason);

    /** @return completes with the close reason once the connection is closed; never fails */
    CompletionStage<CloseReason> closed();
}
