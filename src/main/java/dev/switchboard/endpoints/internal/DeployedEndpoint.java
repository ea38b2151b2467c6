package dev.switchboard.endpoints.internal;

import dev.switchboard.connections.Connections;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.enterprise.inject.spi.Unmanaged;

/**
 * A {@code @SwitchboardEndpoint} class as deployed: what is made once for all its connections (the CDI injection
 * target of the class, the {@code Connections} bean), on the first connection, once CDI is up.
 */
final class DeployedEndpoint {

    /** One connection's instance of the application's class. */
    interface Instance {
        Object get();

        /** Runs {@code @PreDestroy} and releases its dependent beans. */
        void dispose();
    }

    private final EndpointClass type;
    private volatile Unmanaged<?> unmanaged;
    private volatile Connections connections;

    DeployedEndpoint(EndpointClass type) {
        this.type = type;
    }

    EndpointClass type() {
        return type;
    }

    Connections connections() {
        Connections found = connections;
        if (found == null) {
            found = CDI.current().select(Connections.class).get();
            connections = found;
        }
        return found;
    }

    /** @return a new instance: injected, {@code @PostConstruct} run */
    Instance newInstance() {
        Unmanaged<?> factory = unmanaged;
        if (factory == null) {
            factory = new Unmanaged<>(type.type());
            unmanaged = factory;
        }
        Unmanaged.UnmanagedInstance<?> made = factory.newInstance().produce().inject();
        try {
            made.postConstruct();
        } catch (RuntimeException | Error e) { // release what was injected (its dependent beans) before giving up
            try {
                made.dispose();
            } catch (RuntimeException ignored) {
                e.addSuppressed(ignored);
            }
            throw e;
        }
        return new Instance() {
            @Override
            public Object get() {
                return made.get();
            }

            @Override
            public void dispose() {
                made.preDestroy().dispose();
            }
        };
    }
}
