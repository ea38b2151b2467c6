package dev.switchboard.endpoints;

import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import dev.switchboard.events.Namespace;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * Makes a class a WebSocket endpoint at a path, with nothing else to remember:
 *
 * <pre>{@code
 * @SwitchboardEndpoint(value = "/rooms/{room}", namespace = "rooms")
 * public class RoomEndpoint {
 *     @Inject Groups groups;
 *
 *     @OnOpen
 *     public void open(Connection connection, @PathParam("room") String room) {
 *         groups.join("room-" + room, connection, Join.from(connection.queryParameters()));
 *     }
 *
 *     @OnMessage
 *     public void message(JsonObject message, @PathParam("room") String room) {
 *         groups.send("room-" + room, message);
 *     }
 * }
 * }</pre>
 *
 * Switchboard deploys the class itself, one instance per connection, and gives it:
 * <ul>
 *   <li>CDI injection ({@code @Inject}, {@code @PostConstruct}, {@code @PreDestroy}), with no bean-defining
 *       annotation needed;</li>
 *   <li>the handshake guard ({@link dev.switchboard.security.HandshakeGuard}): the {@code Origin} allow-list, and the
 *       caller's roles for {@link dev.switchboard.connections.Connection#isUserInRole};</li>
 *   <li>the lifecycle: {@code ConnectionOpened} before the class's {@code @OnOpen}, every text frame held to the
 *       frame-size, JSON and rate limits before its {@code @OnMessage} (a refused frame gets an error frame, or a
 *       close, and never reaches the method), {@code ConnectionError}, and on close {@code ConnectionClosed} with the
 *       connection leaving all its groups, whatever methods the class declares;</li>
 *   <li>a {@link dev.switchboard.connections.Connection} to send through: never write to the {@code Session} directly,
 *       which would race Switchboard's senders.</li>
 * </ul>
 *
 * <p>The lifecycle methods are the Jakarta WebSocket annotations: each of {@code @OnOpen}, {@code @OnMessage}, {@code
 * @OnClose} and {@code @OnError} is optional, at most one of each (declared or inherited), public, and takes any of
 * these parameters, in any order: {@code Connection}; {@code Session}; {@code @PathParam} {@code String}s naming a
 * parameter of the path; for {@code @OnMessage} the message as a {@code jakarta.json.JsonObject} or as the {@code
 * String} the client sent; for {@code @OnClose} the {@code CloseReason}; for {@code @OnError} the {@code Throwable}.
 * {@code @OnMessage} returns nothing, or a value to send back to the client (a {@code JsonValue} as it is, another
 * object with JSON-B). A class that breaks these rules fails the deployment with a message naming the method and the
 * parameter. Switchboard calls them one at a time: a close that arrives while {@code @OnOpen} or {@code @OnMessage}
 * runs (also one the method causes, or one from another thread, which never waits for it) runs {@code @OnClose}, then
 * {@code @PreDestroy}, once the method has returned.
 *
 * <p>Tell the client why with {@link dev.switchboard.connections.InvalidMessageException} (its message is for the
 * client) or {@link dev.switchboard.groups.JoinDeniedException}: thrown by {@code @OnOpen}, either closes the
 * connection with 1008 and the message; thrown by {@code @OnMessage}, an {@code InvalidMessageException} answers
 * {@code {"type":"error","error":"<message>"}} and keeps the connection ({@link
 * dev.switchboard.groups.InvalidGroupNameException} likewise). Anything else thrown is logged; the client learns only
 * "internal error" (1011 from {@code @OnOpen}, an error frame from {@code @OnMessage}), never the exception's message.
 * Either way {@code ConnectionError} fires and the class's {@code @OnError} runs. An error the container reports while
 * another of the class's methods runs fires {@code ConnectionError} only: {@code @OnError} never waits or nests.
 *
 * <p>Deployment: the module's initializer registers the class as a programmatic endpoint when the application starts.
 * Do not also annotate it with {@code @ServerEndpoint} (the deployment fails, saying so).
 */
@Documented
@Retention(RUNTIME)
@Target(TYPE)
public @interface SwitchboardEndpoint {

    /** @return the path, a URI template as for {@code @ServerEndpoint}, for example {@code "/chat/{room}"} */
    String value();

    /**
     * @return the subprotocols the endpoint supports, in order of preference; none by default. {@link
     *     dev.switchboard.connections.Connections#BATCH_SUBPROTOCOL} (joined frames) is offered after them in any case
     */
    String[] subprotocols() default {};

    /** @return the namespace of this endpoint's lifecycle events (see {@link Namespace}) */
    String namespace() default Namespace.WS;
}
