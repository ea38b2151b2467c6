package dev.switchboard.endpoints.internal;

import dev.switchboard.endpoints.SwitchboardEndpoint;
import jakarta.websocket.Endpoint;
import jakarta.websocket.server.ServerApplicationConfig;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Keeps the container from deploying {@code @SwitchboardEndpoint} classes as plain annotated endpoints ({@link
 * EndpointRegistrar} deploys them); every other endpoint of the application is deployed as it would be without
 * Switchboard.
 */
public final class AnnotatedEndpointFilter implements ServerApplicationConfig {

    @Override
    public Set<ServerEndpointConfig> getEndpointConfigs(Set<Class<? extends Endpoint>> scanned) {
        return Set.of(); // programmatic endpoints found by scanning are never deployed without a config: unchanged
    }

    @Override
    public Set<Class<?>> getAnnotatedEndpointClasses(Set<Class<?>> scanned) {
        return scanned.stream().filter(type -> !type.isAnnotationPresent(SwitchboardEndpoint.class))
                .collect(Collectors.toSet());
    }
}
