package dev.switchboard.connections.internal;

import dev.switchboard.connections.Overflow;
import dev.switchboard.internal.delivery.OutboxLimits;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The connection settings (outbox, client limits), read once from MicroProfile Config (server.xml variables feed it). */
@ApplicationScoped
class ConnectionSettings implements OutboxLimits {

    static final String MAX_MESSAGES = "switchboard.outbox.max-messages";
    static final String SEND_TIMEOUT_MS = "switchboard.outbox.send-timeout-ms";
    static final String SENDERS = "switchboard.outbox.senders";
    static final String BATCH_MAX_BYTES = "switchboard.outbox.batch-max-bytes";
    static final String DRAIN_MS = "switchboard.shutdown.drain-ms";
    static final String MAX_FRAME_BYTES = "switchboard.limits.max-frame-bytes";
    static final String MAX_JSON_DEPTH = "switchboard.limits.max-json-depth";
    static final String MESSAGES_PER_SECOND = "switchboard.limits.messages-per-second";
    static final String MAX_CONNECTIONS_PER_PRINCIPAL = "switchboard.limits.max-connections-per-principal";
    static final String BURST_SECONDS = "switchboard.limits.burst-seconds";

    @Inject
    @ConfigProperty(name = MAX_MESSAGES, defaultValue = "1024")
    int maxMessages;

    @Inject
    @ConfigProperty(name = OutboxLimits.MAX_BYTES, defaultValue = "4194304")
    long maxBytes;

    @Inject
    @ConfigProperty(name = SEND_TIMEOUT_MS, defaultValue = "10000")
    long sendTimeoutMs;

    @Inject
    @ConfigProperty(name = SENDERS, defaultValue = "4")
    int senders;

    @Inject
    @ConfigProperty(name = BATCH_MAX_BYTES, defaultValue = "65536")
    int batchMaxBytes;

    @Inject
    @ConfigProperty(name = OutboxLimits.OVERFLOW, defaultValue = "CLOSE")
    Overflow overflow;

    @Inject
    @ConfigProperty(name = DRAIN_MS, defaultValue = "5000")
    long drainMs;

    @Inject
    @ConfigProperty(name = MAX_FRAME_BYTES, defaultValue = "65536")
    int maxFrameBytes;

    @Inject
    @ConfigProperty(name = MAX_JSON_DEPTH, defaultValue = "32")
    int maxJsonDepth;

    @Inject
    @ConfigProperty(name = MESSAGES_PER_SECOND, defaultValue = "50")
    int messagesPerSecond;

    @Inject
    @ConfigProperty(name = MAX_CONNECTIONS_PER_PRINCIPAL, defaultValue = "10")
    int maxConnectionsPerPrincipal;

    @Inject
    @ConfigProperty(name = BURST_SECONDS, defaultValue = "5")
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

    /** Makes the container create this bean, and so check it, when the application starts. */
    void checkAtStart(@Observes @Initialized(ApplicationScoped.class) Object started) {
    }

    @PostConstruct
    void check() {
        positive(MAX_FRAME_BYTES, maxFrameBytes);
        positive(MAX_JSON_DEPTH, maxJsonDepth);
        positive(MESSAGES_PER_SECOND, messagesPerSecond);
        positive(MAX_CONNECTIONS_PER_PRINCIPAL, maxConnectionsPerPrincipal);
        // Over a minute, a flood would go on for that long before the rate limit closes it.
        between(BURST_SECONDS, burstSeconds, 1, 60);
        positive(SENDERS, senders);
        // A browser takes frames of any size; the bound keeps one joined frame from holding a sender for long.
        between(BATCH_MAX_BYTES, batchMaxBytes, 1, 16 * 1024 * 1024);
        positive(MAX_MESSAGES, maxMessages);
        positive(OutboxLimits.MAX_BYTES, maxBytes);
        // A joined frame in flight no longer counts against the outbox's bytes: at most one outbox's worth more.
        between(BATCH_MAX_BYTES, batchMaxBytes, 1, maxBytes);
        positive(SEND_TIMEOUT_MS, sendTimeoutMs);
        if (drainMs < 0) {
            throw new IllegalArgumentException(DRAIN_MS + " must be 0 or more, got " + drainMs);
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
    @Override
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

    /** @return most UTF-8 bytes of one frame that joins waiting messages (subprotocol {@code switchboard.batch}) */
    public int batchMaxBytes() {
        return batchMaxBytes;
    }

    /** @return most frames one connection's outbox holds */
    public int maxMessages() {
        return maxMessages;
    }

    /** @return most UTF-8 bytes one connection's outbox holds */
    @Override
    public long maxBytes() {
        return maxBytes;
    }

    /** @return how long one write may take before the connection is closed, in milliseconds */
    public long sendTimeoutMs() {
        return sendTimeoutMs;
    }
}
