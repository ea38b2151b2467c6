package dev.switchboard.monitoring.internal;

import dev.switchboard.connections.Connections;
import dev.switchboard.internal.delivery.Senders;
import dev.switchboard.groups.Groups;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.annotation.Gauge;

/**
 * The module's figures as MicroProfile Metrics gauges (scope {@code application}, at {@code GET /metrics}). They read
 * the counters the module keeps anyway, so the send path does no extra work for them.
 */
@ApplicationScoped
public class SwitchboardMetrics {

    @Inject
    Connections connections;

    @Inject
    Senders senders;

    @Inject
    Groups groups;

    /** Gauges are registered when their bean is created: create it with the application, not on first use. */
    void start(@Observes Startup startup) {
        // nothing else to do: being called created the bean
    }

    @Gauge(absolute = true, name = "switchboard.connections", unit = "none",
            description = "Open WebSocket connections")
    public long connections() {
        return connections.count();
    }

    @Gauge(absolute = true, name = "switchboard.groups", unit = "none",
            description = "Groups with at least one member")
    public long groups() {
        return groups.names().size();
    }

    @Gauge(absolute = true, name = "switchboard.messages.dropped", unit = "none",
            description = "Messages not delivered to a member since the start (outbox full, send timeout, closed)")
    public long dropped() {
        return groups.totals().dropped();
    }

    @Gauge(absolute = true, name = "switchboard.connections.slow.closed", unit = "none",
            description = "Connections closed as slow consumers since the start (1013)")
    public long slowClosed() {
        return groups.totals().slowClosed();
    }

    @Gauge(absolute = true, name = "switchboard.senders", unit = "none",
            description = "Sender threads alive: switchboard.outbox.senders plus one per stalled write")
    public long senders() {
        return senders.senderThreads();
    }

    @Gauge(absolute = true, name = "switchboard.senders.stalled", unit = "none",
            description = "Writes stalled over 100 ms (clients that stopped reading), each holding a sender")
    public long stalled() {
        return senders.stalledWrites();
    }
}
