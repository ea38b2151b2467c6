package dev.switchboard.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Fails the application's start when {@value Origins#KEY} has an entry that is not an origin, naming the key and the
 * entry, as the other settings do: the container makes {@link HandshakeGuard}s itself, later, and a guard can only
 * refuse handshakes, not stop the application.
 */
@ApplicationScoped
class OriginSettings {

    private static final Logger LOG = Logger.getLogger(OriginSettings.class.getName());

    // Optional: MicroProfile Config takes an empty value (and an empty default) for no value at all.
    @Inject
    @ConfigProperty(name = Origins.KEY)
    Optional<String> allowedOrigins;

    void check(@Observes @Initialized(ApplicationScoped.class) Object started) {
        if (Origins.allowList(allowedOrigins.orElse(Origins.DEFAULT)).isEmpty()) {
            LOG.warning(() -> Origins.KEY + " is empty: WebSocket handshakes from browsers (with an Origin header) are "
                    + "refused with 403. Set it to your site's origins, for example https://chat.example.com");
        }
    }
}
