package dev.switchboard.events.internal;

import dev.switchboard.events.Events;
import dev.switchboard.events.Namespace;
import dev.switchboard.events.ObserverFailed;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.NotificationOptions;
import jakarta.enterprise.event.ObserverException;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Default;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The {@link Events} bean: CDI's {@code Event<Object>} with failure reporting, one selected event per namespace. */
@ApplicationScoped
public class CdiEvents implements Events {

    private static final Logger LOG = Logger.getLogger(CdiEvents.class.getName());

    @Inject
    @Any
    Event<Object> any;

    // Liberty's default managed executor: async observers run with the application's context, not on a raw pool.
    @Resource
    ManagedExecutorService executor;

    private final Map<String, Events> namespaces = new ConcurrentHashMap<>();
    private volatile Events unqualified;

    @Override
    public Events namespace(String namespace) {
        Namespace.Literal literal = Namespace.Literal.of(namespace);
        return namespaces.computeIfAbsent(namespace, n -> new Scoped(n, any.select(literal)));
    }

    @Override
    public String namespace() {
        return null;
    }

    @Override
    public void emit(Object event) {
        unqualified().emit(event);
    }

    @Override
    public CompletionStage<Void> emitAsync(Object event) {
        return unqualified().emitAsync(event);
    }

    private Events unqualified() {
        Events events = unqualified;
        if (events == null) {
            events = new Scoped(null, any.select(Default.Literal.INSTANCE));
            unqualified = events;
        }
        return events;
    }

    /** Events of one namespace; cheap to keep, since {@code Event.select} is not free. */
    private final class Scoped implements Events {
        private final String namespace;
        private final Event<Object> event;

        Scoped(String namespace, Event<Object> event) {
            this.namespace = namespace;
            this.event = event;
        }

        @Override
        public Events namespace(String namespace) {
            return CdiEvents.this.namespace(namespace);
        }

        @Override
        public String namespace() {
            return namespace;
        }

        @Override
        public void emit(Object payload) {
            try {
                event.fire(payload);
            } catch (RuntimeException e) {
                failed(payload, e instanceof ObserverException && e.getCause() != null ? e.getCause() : e);
            }
        }

        @Override
        public CompletionStage<Void> emitAsync(Object payload) {
            CompletionStage<Object> fired;
            try {
                fired = event.fireAsync(payload, NotificationOptions.ofExecutor(executor));
            } catch (RuntimeException e) { // e.g. the executor refused the task during shutdown
                failed(payload, e);
                return CompletableFuture.completedFuture(null);
            }
            return fired.handle((ignored, error) -> {
                if (error != null) {
                    Throwable cause = error instanceof CompletionException && error.getCause() != null
                            ? error.getCause() : error;
                    // CDI reports every failed async observer as a suppressed exception of one CompletionException.
                    Throwable[] each = error.getSuppressed();
                    if (each.length == 0) {
                        failed(payload, cause);
                    }
                    for (Throwable t : each) {
                        failed(payload, t);
                    }
                }
                return null;
            });
        }

        private void failed(Object payload, Throwable error) {
            LOG.log(Level.WARNING, error, () -> "Observer of " + payload.getClass().getSimpleName()
                    + " in namespace " + namespace + " failed: " + error);
            if (payload instanceof ObserverFailed) {
                return; // an error observer that fails is only logged, so it cannot loop
            }
            try {
                event.fire(new ObserverFailed(payload, namespace, error));
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, e, () -> "Observer of ObserverFailed in namespace " + namespace + " failed: " + e);
            }
        }
    }
}
