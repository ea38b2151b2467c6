package dev.switchboard.monitoring.internal;

import dev.switchboard.connections.Connections;
import dev.switchboard.internal.delivery.Senders;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/** MicroProfile Health checks ({@code GET /health/ready}, {@code GET /health/live}). */
@ApplicationScoped
public class SwitchboardHealth {

    @Inject
    Connections connections;

    @Inject
    Senders senders;

    /** Ready once the module's beans are up (this check is then answered), with the open connections as data. */
    @Produces
    @Readiness
    HealthCheck ready() {
        return () -> HealthCheckResponse.named("switchboard").up().withData("connections", connections.count()).build();
    }

    /**
     * Live unless stalled writes hold every sender the pool may have: then nothing reaches any client until the send
     * timeout frees them, and a restart is the better answer if it lasts.
     */
    @Produces
    @Liveness
    HealthCheck senders() {
        return () -> HealthCheckResponse.named("switchboard-senders").status(!senders.sendersExhausted())
                .withData("senders", senders.senderThreads()).withData("stalled", senders.stalledWrites()).build();
    }
}
