package dev.switchboard.endpoints.internal;

import dev.switchboard.endpoints.SwitchboardEndpoint;
import dev.switchboard.events.Namespace;
import jakarta.websocket.server.ServerEndpoint;
import java.lang.reflect.Modifier;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code @SwitchboardEndpoint} class, checked once at deployment: its path, namespace and resolved lifecycle methods.
 *
 * @param type the application's endpoint class
 * @param path its path (a URI template)
 * @param subprotocols its subprotocols
 * @param namespace the namespace of its lifecycle events
 */
record EndpointClass(Class<?> type, String path, List<String> subprotocols, String namespace, Callback open,
        Callback message, Callback close, Callback error) {

    private static final Pattern PARAMETER = Pattern.compile("\\{([^/{}]+)}");

    /**
     * @throws IllegalArgumentException naming the class and what is wrong with it
     */
    static EndpointClass of(Class<?> type) {
        SwitchboardEndpoint switchboard = type.getAnnotation(SwitchboardEndpoint.class);
        if (switchboard == null) {
            throw new IllegalArgumentException(type.getName() + " has no @SwitchboardEndpoint");
        }
        if (type.isAnnotationPresent(ServerEndpoint.class)) {
            throw new IllegalArgumentException(type.getName() + " has both @ServerEndpoint and @SwitchboardEndpoint; "
                    + "Switchboard deploys it at the path of @SwitchboardEndpoint: remove @ServerEndpoint");
        }
        if (!Modifier.isPublic(type.getModifiers()) || type.isInterface() || Modifier.isAbstract(type.getModifiers())
                || type.getEnclosingClass() != null && !Modifier.isStatic(type.getModifiers())) {
            throw new IllegalArgumentException(type.getName() + " must be a public, concrete, top-level or static class");
        }
        String path = switchboard.value();
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException(type.getName() + ": the path \"" + path + "\" must start with /");
        }
        Namespace.Literal.of(switchboard.namespace()); // a blank namespace fails here, naming it
        Set<String> parameters = parameters(path);
        return new EndpointClass(type, path, List.of(switchboard.subprotocols()), switchboard.namespace(),
                Callback.of(type, Callback.Kind.OPEN, parameters), Callback.of(type, Callback.Kind.MESSAGE, parameters),
                Callback.of(type, Callback.Kind.CLOSE, parameters), Callback.of(type, Callback.Kind.ERROR, parameters));
    }

    private static Set<String> parameters(String path) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = PARAMETER.matcher(path);
        while (m.find()) {
            names.add(m.group(1));
        }
        return Set.copyOf(names);
    }
}
