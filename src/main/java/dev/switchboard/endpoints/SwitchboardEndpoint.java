package dev.switchboard.endpoints;

import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import dev.switchboard.events.Namespace;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * Makes a {@code @ServerEndpoint} class a Switchboard endpoint, with nothing else to remember:
 *
 * <pre>{@code
 * @ServerEndpoint("/rooms/{room}")
 * @SwitchboardEndpoint(namespace = "rooms")
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
 * Switchboard registers the endpoint itself, one instance per connection, and gives it:
 * <ul>
 *   <li>CDI injection ({@code @Inject}, {@code @PostConstruct}, {@code @PreDestroy}), with no bean-defining
 *       annotation needed;</li>
 *   <li>the handshake guard ({@link dev.switchboard.security.HandshakeGuard}): the {@code Origin} allow-list, and the
 *       caller's roles for {@link dev.switchboard.connections.Connection#isUserInRole};</li>
 *   <li>the lifecycle: {@code ConnectionOpened} before the endpoint's {@code @OnOpen}, every text frame held to the
 *       frame-size, JSON and rate limits before its {@code @OnMessage} (a refused frame gets an error frame, or a
 *       close, and never reaches the method), {@code ConnectionError}, and on close {@code ConnectionClosed} with the
 *       connection leaving all its groups, whatever methods the class declares;</li>
 *   <li>a {@link dev.switchboard.connections.Connection} to send through: never write to the {@code Session} directly,
 *       which would race Switchboard's senders.</li>
 * </ul>
 *
 * <p>Each of {@code @OnOpen}, {@code @OnMessage}, {@code @OnClose} and {@code @OnError} is optional, at most one of each,
 * public, and takes any of these parameters, in any order: {@code Connection}; {@code Session}; {@code @PathParam}
 * {@code String}s; for {@code @OnMessage} the message as a {@code jakarta.json.JsonObject} or as the {@code String} the
 * client sent; for {@code @OnClose} the {@code CloseReason}; for {@code @OnError} the {@code Throwable}. A value that
 * {@code @OnMessage} returns is sent back to the client. A class that breaks these rules fails the deployment with a
 * message naming the method and the parameter.
 *
 * <p>An exception thrown by {@code @OnOpen} closes the connection: with 1008 and its message for an {@code
 * IllegalArgumentException} or a {@code JoinDeniedException} (the client asked for something it may not have), with
 * 1011 otherwise. One thrown by {@code @OnMessage} fires {@code ConnectionError} and leaves the connection open; the
 * client gets an error frame with the message of an {@code IllegalArgumentException}, and "internal error" otherwise.
 *
 * <p>The class keeps {@code @ServerEndpoint} for its path and subprotocols; its {@code configurator}, {@code decoders}
 * and {@code encoders} must be left at their defaults. Switchboard takes the class out of the container's own
 * deployment with a {@code ServerApplicationConfig}: an application with a {@code ServerApplicationConfig} of its own
 * must not return Switchboard endpoints from it.
 */
@Documented
@Retention(RUNTIME)
@Target(TYPE)
public @interface SwitchboardEndpoint {

    /** @return the namespace of this endpoint's lifecycle events (see {@link Namespace}) */
    String namespace() default Namespace.WS;
}
