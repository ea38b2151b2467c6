package dev.switchboard.connections.internal;

import dev.switchboard.connections.Overflow;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The connection settings (outbox, client limits), read once from MicroProfile Config (server.xml variables feed it). */
@ApplicationScoped
public class ConnectionSettings {

    @Inject
    @ConfigProperty(name = "switchboard.outbox.max-messages", defaultValue = "1024")
    int maxMessages;

    @Inject
    @ConfigProperty(name = "switchboard.outbox.max-bytes", defaultValue = "4194304")
    long maxBytes;

    @Inject
    @ConfigProperty(name = "switchboard.outbox.send-timeout-ms", defaultValue = "10000")
    long sendTimeoutMs;

    @Inject
    @ConfigProperty(name = "switchboard.outbox.senders", defaultValue = "4")
    int senders;

    @Inject
    @ConfigProperty(name = "switchboard.outbox.overflow", defaultValue = "CLOSE")
    Overflow overflow;

    @Inject
    @ConfigProperty(name = "switchboard.shutdown.drain-ms", defaultValue = "5000")
    long drainMs;

    @Inject
    @ConfigProperty(name = "switchboard.limits.max-frame-bytes", defaultValue = "65536")
    int maxFrameBytes;

    @Inject
    @ConfigProperty(name = "switchboard.limits.max-json-depth", defaultValue = "32")
    int maxJsonDepth;

    @Inject
    @ConfigProperty(name = "switchboard.limits.messages-per-second", defaultValue = "50")
    int messagesPerSecond;

    @Inject
    @ConfigProperty(name = "switchboard.limits.max-connections-per-principal", defaultValue = "10")
    int maxConnectionsPerPrincipal;

    @Inject
    @ConfigProperty(name = "switchboard.limits.burst-seconds", defaultValue = "5")
    int burstSeconds;

    /** @return the largest text frame a client may send, in UTF-8 bytes */
    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    /** @return how deeply a client's JSON may nest arrays and objects */
    public int maxJsonDepth() {
        return maxJsonDepth;
    }

    /** @return how many frames a client may send per second (and in a burst) */
    public int messagesPerSecond() {
        return messagesPerSecond;
    }

    /** @return how many seconds' worth of frames, at {@link #messagesPerSecond()}, a client may send at once */
    public int burstSeconds() {
        return burstSeconds;
    }

    /** @return how many connections one authenticated user may have open */
    public int maxConnectionsPerPrincipal() {
        return maxConnectionsPerPrincipal;
    }

    @PostConstruct
    void check() {
        positive("switchboard.limits.max-frame-bytes", maxFrameBytes);
        positive("switchboard.limits.max-json-depth", maxJsonDepth);
        positive("switchboard.limits.messages-per-second", messagesPerSecond);
        positive("switchboard.limits.max-connections-per-principal", maxConnectionsPerPrincipal);
        // Over a minute, a flood would go on for that long before the rate limit closes it.
        between("switchboard.limits.burst-seconds", burstSeconds, 1, 60);
        positive("switchboard.outbox.senders", senders);
        positive("switchboard.outbox.max-messages", maxMessages);
        positive("switchboard.outbox.max-bytes", maxBytes);
        positive("switchboard.outbox.send-timeout-ms", sendTimeoutMs);
        if (drainMs < 0) {
            throw new IllegalArgumentException("switchboard.shutdown.drain-ms must be 0 or more, got " + drainMs);
        }
    }

    private static void between(String key, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(key + " must be between " + min + " and " + max + ", got " + value);
        }
    }

    private static void positive(String key, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(key + " must be at least 1, got " + value);
        }
    }

    /** @return what an outbox does when full, unless a group's policy says otherwise */
    public Overflow overflow() {
        return overflow;
    }

    /** @return how long shutdown waits for outboxes to drain before closing with 1001, in milliseconds */
    public long drainMs() {
        return drainMs;
    }

    /** @return how many threads write outboxes to the network (more are added while writes are stalled) */
    public int senders() {
        return senders;
    }

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
