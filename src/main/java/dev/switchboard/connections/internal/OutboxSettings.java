package dev.switchboard.connections.internal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The outbox settings, read once from MicroProfile Config (server.xml {@code <variable>}s feed it). */
@ApplicationScoped
public class OutboxSettings {

    @Inject
    @ConfigProperty(name = "switchboard.outbox.max-messages", defaultValue = "1024")
    int maxMessages;

    @Inject
    @ConfigProperty(name = "switchboard.outbox.max-bytes", defaultValue = "4194304")
    long maxBytes;

    @Inject
    @ConfigProperty(name = "switchboard.outbox.send-timeout-ms", defaultValue = "10000")
    long sendTimeoutMs;

    /** @return most frames one connection's outbox holds */
    public int maxMessages() {
        return maxMessages;
    }

    /** @return most UTF-8 bytes one connection's outbox holds */
    public long maxBytes() {
        return maxBytes;
    }

    /** @return how long one write may take before the connection is closed, in milliseconds */
    public long sendTimeoutMs() {
        return sendTimeoutMs;
    }
}
