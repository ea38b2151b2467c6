package dev.switchboard.endpoints.internal;

import dev.switchboard.connections.Connections;
import dev.switchboard.endpoints.SwitchboardEndpoint;
import dev.switchboard.security.HandshakeGuard;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.HandlesTypes;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Deploys every {@code @SwitchboardEndpoint} class of the application as a programmatic endpoint, {@link
 * ManagedEndpoint}, at its path. The container finds this initializer in the module's jar (META-INF/services) and
 * hands it the annotated classes.
 *
 * <p>Why a programmatic endpoint: the container calls only the callbacks a class declares, and JSR 356 annotations are
 * not inherited, so an endpoint that declares only {@code @OnMessage} could never fire ConnectionOpened, nor leave its
 * groups on close. Owning the callbacks makes forgetting them impossible.
 */
@HandlesTypes(SwitchboardEndpoint.class)
public final class EndpointRegistrar implements ServletContainerInitializer {

    private static final Logger LOG = Logger.getLogger(EndpointRegistrar.class.getName());

    @Override
    public void onStartup(Set<Class<?>> annotated, ServletContext context) {
        if (annotated == null || annotated.isEmpty()) {
            return;
        }
        List<EndpointClass> endpoints = new ArrayList<>();
        for (Class<?> type : annotated) {
            if (type.isAnnotationPresent(SwitchboardEndpoint.class)) {
                endpoints.add(EndpointClass.of(type)); // a class Switchboard cannot run fails the deployment here
            }
        }
        // The container's ServerContainer is certain to be there once the context is initialized, not before.
        context.addListener(new ServletContextListener() {
            @Override
            public void contextInitialized(ServletContextEvent event) {
                ServerContainer container = (ServerContainer) event.getServletContext()
                        .getAttribute(ServerContainer.class.getName());
                if (container == null) {
                    throw new IllegalStateException("No WebSocket container in this application: enable Liberty's "
                            + "websocket-2.1 feature to use @SwitchboardEndpoint");
                }
                for (EndpointClass endpoint : endpoints) {
                    deploy(container, endpoint);
                }
            }
        });
    }

    private static void deploy(ServerContainer container, EndpointClass endpoint) {
        ServerEndpointConfig config = ServerEndpointConfig.Builder.create(ManagedEndpoint.class, endpoint.path())
                .subprotocols(subprotocols(endpoint))
                .configurator(new Guard(new DeployedEndpoint(endpoint)))
                .build();
        try {
            container.addEndpoint(config);
        } catch (DeploymentException e) {
            throw new IllegalStateException("Could not deploy " + endpoint.type().getName() + " at " + endpoint.path()
                    + ": " + e.getMessage(), e);
        }
        LOG.info(() -> "Switchboard endpoint " + endpoint.type().getName() + " at " + endpoint.path()
                + ", events in namespace " + endpoint.namespace());
    }

    // The application's own subprotocols, then joined frames. A connection gets one subprotocol: by the default
    // negotiation, the first of the client's list that the server offers, so the client's order decides.
    private static List<String> subprotocols(EndpointClass endpoint) {
        List<String> offered = new ArrayList<>(endpoint.subprotocols());
        if (!offered.contains(Connections.BATCH_SUBPROTOCOL)) {
            offered.add(Connections.BATCH_SUBPROTOCOL);
        }
        return offered;
    }

    /** The handshake guard, handing the container one {@link ManagedEndpoint} per connection. */
    private static final class Guard extends HandshakeGuard {
        private final DeployedEndpoint endpoint;

        Guard(DeployedEndpoint endpoint) {
            this.endpoint = endpoint;
        }

        @Override
        public <T> T getEndpointInstance(Class<T> type) {
            return type.cast(new ManagedEndpoint(endpoint));
        }
    }
}
