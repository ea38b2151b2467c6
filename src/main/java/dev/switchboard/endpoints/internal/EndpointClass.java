package dev.switchboard.endpoints.internal;

import dev.switchboard.endpoints.SwitchboardEndpoint;
import dev.switchboard.events.Namespace;
import jakarta.websocket.server.ServerEndpoint;
import jakarta.websocket.server.ServerEndpointConfig;
import java.lang.reflect.Modifier;
import java.util.List;

/**
 * A {@code @SwitchboardEndpoint} class, checked once at deployment: its path, namespace and resolved lifecycle methods.
 *
 * @param type the application's endpoint class
 * @param path its {@code @ServerEndpoint} path
 * @param subprotocols its {@code @ServerEndpoint} subprotocols
 * @param namespace the namespace of its lifecycle events
 */
record EndpointClass(Class<?> type, String path, List<String> subprotocols, String namespace, Callback open,
        Callback message, Callback close, Callback error) {

    /**
     * @throws IllegalArgumentException naming the class and what is wrong with it
     */
    static EndpointClass of(Class<?> type) {
        ServerEndpoint server = type.getAnnotation(ServerEndpoint.class);
        SwitchboardEndpoint switchboard = type.getAnnotation(SwitchboardEndpoint.class);
        if (server == null || switchboard == null) {
            throw new IllegalArgumentException(type.getName() + " needs both @ServerEndpoint and @SwitchboardEndpoint");
        }
        if (!Modifier.isPublic(type.getModifiers()) || type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
            throw new IllegalArgumentException(type.getName() + " must be a public, concrete class");
        }
        if (server.configurator() != ServerEndpointConfig.Configurator.class) {
            throw new IllegalArgumentException(type.getName() + " names configurator "
                    + server.configurator().getName() + "; a Switchboard endpoint brings its own (the handshake "
                    + "guard): leave it out");
        }
        if (server.decoders().length > 0 || server.encoders().length > 0) {
            throw new IllegalArgumentException(type.getName() + " names decoders or encoders; a Switchboard endpoint "
                    + "takes JSON text (JsonObject or String) and sends through Connection: leave them out");
        }
        Namespace.Literal.of(switchboard.namespace()); // a blank namespace fails here, naming it
        return new EndpointClass(type, server.value(), List.of(server.subprotocols()), switchboard.namespace(),
                Callback.of(type, Callback.Kind.OPEN), Callback.of(type, Callback.Kind.MESSAGE),
                Callback.of(type, Callback.Kind.CLOSE), Callback.of(type, Callback.Kind.ERROR));
    }
}
