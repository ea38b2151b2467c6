package dev.switchboard.groups.internal;

import dev.switchboard.groups.internal.backplane.Backplane;
import dev.switchboard.groups.Groups;
import dev.switchboard.groups.internal.backplane.RedisBackplane;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Timer;

/**
 * Several servers (README, "Running several servers"): the settings, checked when the application starts (a bad value
 * fails the deployment, naming the key, the value and the rule), and what the cluster shows to operators: readiness,
 * which is DOWN while this server cannot publish or does not hear what is published, and metrics. With {@value
 * #REDIS} empty (the default) there is no cluster, and none of this costs anything: Lettuce is not even loaded.
 */
@ApplicationScoped
class ClusterSettings {

    static final String REDIS = "switchboard.cluster.redis";
    static final String KEY_PREFIX = "switchboard.cluster.key-prefix";
    static final String STREAM_LENGTH = "switchboard.cluster.stream-length";
    static final String TTL_SECONDS = "switchboard.cluster.history-ttl-seconds";
    static final String CHECK_MS = "switchboard.cluster.check-ms";
    static final String TIMEOUT_MS = "switchboard.cluster.timeout-ms";
    static final String REQUEST_QUEUE = "switchboard.cluster.request-queue";
    static final String PRESENCE_TTL_MS = "switchboard.cluster.presence-ttl-ms";
    static final String HEARTBEAT_MS = "switchboard.cluster.heartbeat-ms";
    static final String PUBSUB_CONNECTIONS = "switchboard.cluster.pubsub-connections";

    @Inject
    @ConfigProperty(name = REDIS)
    Optional<String> redis;

    @Inject
    @ConfigProperty(name = KEY_PREFIX, defaultValue = "switchboard")
    String keyPrefix;

    @Inject
    @ConfigProperty(name = STREAM_LENGTH, defaultValue = "1000")
    int streamLength;

    @Inject
    @ConfigProperty(name = TTL_SECONDS, defaultValue = "86400")
    long ttlSeconds;

    @Inject
    @ConfigProperty(name = CHECK_MS, defaultValue = "1000")
    long checkMillis;

    @Inject
    @ConfigProperty(name = TIMEOUT_MS, defaultValue = "2000")
    long timeoutMillis;

    @Inject
    @ConfigProperty(name = REQUEST_QUEUE, defaultValue = "10000")
    int requestQueue;

    @Inject
    @ConfigProperty(name = PRESENCE_TTL_MS, defaultValue = "15000")
    long presenceTtlMillis;

    @Inject
    @ConfigProperty(name = HEARTBEAT_MS, defaultValue = "3000")
    long heartbeatMillis;

    @Inject
    @ConfigProperty(name = PUBSUB_CONNECTIONS, defaultValue = "1")
    int pubsubConnections;

    @Resource
    ManagedThreadFactory threads;

    @Inject
    MetricRegistry metrics;

    @Inject
    Groups groups;

    private volatile ClusterSync sync;

    @PostConstruct
    void check() {
        redis.ifPresent(ClusterSettings::checkUri);
        if (redis.isPresent() && lettucePresent()) {
            try {
                RedisBackplane.checkUri(redis.get().trim()); // what Lettuce itself refuses (a database "x", ...)
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(REDIS + " is not a Redis URI Lettuce takes, got \"" + redis.get()
                        + "\": " + e.getMessage(), e);
            }
        }
        if (!keyPrefix.matches("[A-Za-z0-9._:-]{1,64}")) {
            throw new IllegalArgumentException(KEY_PREFIX + " must be 1 to 64 characters from A-Z a-z 0-9 . _ : -, "
                    + "got \"" + keyPrefix + "\"");
        }
        GroupSettings.atLeast(STREAM_LENGTH, streamLength, 1);
        GroupSettings.atLeast(TTL_SECONDS, ttlSeconds, 1);
        GroupSettings.atLeast(CHECK_MS, checkMillis, 10);
        GroupSettings.atLeast(TIMEOUT_MS, timeoutMillis, 10);
        GroupSettings.atLeast(REQUEST_QUEUE, requestQueue, 1);
        GroupSettings.atLeast(HEARTBEAT_MS, heartbeatMillis, 10);
        if (pubsubConnections < 1 || pubsubConnections > 16) {
            throw new IllegalArgumentException(PUBSUB_CONNECTIONS + " must be 1 to 16, got " + pubsubConnections);
        }
        // A live server's heartbeats may come a heartbeat and a timeout apart, twice over, before its key expires.
        long least = 2 * heartbeatMillis + 2 * timeoutMillis;
        if (presenceTtlMillis < least) {
            throw new IllegalArgumentException(PRESENCE_TTL_MS + " must be at least twice " + HEARTBEAT_MS + " ("
                    + heartbeatMillis + ") and twice " + TIMEOUT_MS + " (" + timeoutMillis + "), " + least
                    + " in all; got " + presenceTtlMillis);
        }
    }

    private static void checkUri(String uri) {
        URI parsed;
        try {
            parsed = URI.create(uri.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(REDIS + " must be a URI like redis://localhost:6379, got \"" + uri
                    + "\": " + e.getMessage(), e);
        }
        if (!"redis".equals(parsed.getScheme()) && !"rediss".equals(parsed.getScheme()) || parsed.getHost() == null) {
            throw new IllegalArgumentException(REDIS + " must be a URI like redis://localhost:6379 (or rediss:// for "
                    + "TLS), or empty for a single server; got \"" + uri + "\"");
        }
    }

    private static boolean lettucePresent() {
        try {
            Class.forName("io.lettuce.core.RedisClient", false, ClusterSettings.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** Creates this bean, and so checks it, and the group registry, which connects, when the application starts. */
    void start(@Observes Startup startup) {
        groups.names();
    }

    /**
     * @param delivered runs after messages from the cluster were delivered here
     * @return the cluster joining {@code groups} to the other servers', connecting in the background; null if {@value
     *     #REDIS} is empty
     * @throws IllegalStateException if Lettuce is not in the application
     */
    ClusterSync open(Map<String, Group> groups, LongAdder totalDropped, Runnable delivered) {
        if (redis.isEmpty()) {
            return null;
        }
        if (!lettucePresent()) {
            throw new IllegalStateException(REDIS + " is set, so Switchboard needs the Redis client Lettuce: add "
                    + "io.lettuce:lettuce-core:7.7.0.RELEASE to the application (README, \"Running several servers\")");
        }
        Timer publishes = metrics.timer("switchboard.cluster.publish");
        ClusterSync opened = new ClusterSync(groups, totalDropped, streamLength, timeoutMillis, checkMillis, checkMillis,
                Executors.newSingleThreadScheduledExecutor(threads), threads, delivered,
                nanos -> publishes.update(Duration.ofNanos(nanos)),
                receiver -> RedisBackplane.open(redis.get().trim(), keyPrefix, ttlSeconds,
                        Duration.ofMillis(timeoutMillis), checkMillis, requestQueue, pubsubConnections, threads,
                        receiver));
        metrics.gauge("switchboard.cluster.publish.failures", opened, c -> c.publishFailures.sum());
        metrics.gauge("switchboard.cluster.gap.fills", opened, c -> c.gapFills.sum());
        metrics.gauge("switchboard.cluster.resets", opened, c -> c.resets.sum());
        metrics.gauge("switchboard.cluster.connects", opened, c -> c.backplane().connects());
        metrics.gauge("switchboard.cluster.probe.timeouts", opened, c -> c.backplane().probeTimeouts());
        sync = opened;
        return opened;
    }

    /**
     * @param server this server's id
     * @param emit fires an event in namespace {@code group}
     * @return who is in each group on every server, with heartbeats on a thread of its own
     */
    ClusterPresence presence(String server, ClusterSync cluster, Map<String, Group> groups, Consumer<Object> emit) {
        ClusterPresence opened = new ClusterPresence(server, cluster::backplane, groups, presenceTtlMillis,
                heartbeatMillis, timeoutMillis, threads, cluster.completions(), emit);
        metrics.gauge("switchboard.cluster.presence.swept", opened, p -> p.swept.sum());
        return opened;
    }

    /** Ready while this server can publish to the other servers and hears what they publish; UP on a single server. */
    @Produces
    @Readiness
    HealthCheck ready() {
        return () -> {
            if (redis.isEmpty()) {
                return HealthCheckResponse.named("switchboard-cluster").up().withData("mode", "single server").build();
            }
            ClusterSync c = sync;
            boolean up = c != null && c.backplane().ready();
            return HealthCheckResponse.named("switchboard-cluster").status(up)
                    .withData("redis", redis.get())
                    .withData("status", c == null ? "starting" : c.backplane().status()).build();
        };
    }
}
