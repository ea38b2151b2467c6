package dev.switchboard.example;

import dev.switchboard.connections.ConnectionError;
import dev.switchboard.events.ObserverFailed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.logging.Logger;

/**
 * The reference's centralized error handling: one place that sees every connection error and every failed observer,
 * in every namespace (these observers name none). A real application would alert its monitoring here.
 */
@ApplicationScoped
public class ErrorLog {

    private static final Logger LOG = Logger.getLogger(ErrorLog.class.getName());

    void connectionError(@Observes ConnectionError error) {
        LOG.warning(() -> "WebSocket failure on " + error.connection().id() + " (" + error.connection().namespace()
                + "): " + error.error().getMessage());
    }

    void observerFailed(@Observes ObserverFailed failed) {
        LOG.warning(() -> "Observer failure in namespace " + failed.namespace() + " for "
                + failed.event().getClass().getSimpleName() + ": " + failed.error());
    }
}
