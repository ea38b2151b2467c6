package dev.switchboard.groups.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The cluster's settings are checked at startup: a bad value names the key, the value and the rule. */
class ClusterSettingsTest {

    private static ClusterSettings settings(String redis) {
        ClusterSettings settings = new ClusterSettings();
        settings.redis = Optional.ofNullable(redis);
        settings.keyPrefix = "switchboard";
        settings.streamLength = 1000;
        settings.ttlSeconds = 86400;
        settings.checkMillis = 1000;
        settings.timeoutMillis = 2000;
        settings.requestQueue = 10000;
        settings.heartbeatMillis = 3000;
        settings.presenceTtlMillis = 15000;
        settings.pubsubConnections = 1;
        return settings;
    }

    @Test
    void noRedisIsOneServerAndRedisUrisAreTaken() {
        settings(null).check();
        settings("redis://localhost:6379").check();
        settings("rediss://user:pw@redis.example.com:6380/2").check();
        assertThat(settings(null).open(null, null, null)).as("no cluster, nothing opened").isNull();
    }

    @Test
    void aValueThatIsNotARedisUriFailsTheStartNamingTheKeyAndTheValue() {
        assertThatThrownBy(() -> settings("localhost:6379").check()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("switchboard.cluster.redis").hasMessageContaining("\"localhost:6379\"");
        assertThatThrownBy(() -> settings("http://localhost:6379").check())
                .hasMessageContaining("redis://localhost:6379");
        assertThatThrownBy(() -> settings("redis://localhost:6379/x").check()) // a database Lettuce refuses
                .hasMessageContaining("switchboard.cluster.redis").hasMessageContaining("/x");
    }

    @Test
    void boundsAndThePrefixAreChecked() {
        ClusterSettings settings = settings(null);
        settings.checkMillis = 5;
        assertThatThrownBy(settings::check).hasMessage("switchboard.cluster.check-ms must be at least 10, got 5");
        ClusterSettings prefix = settings(null);
        prefix.keyPrefix = "a b";
        assertThatThrownBy(prefix::check).hasMessageContaining("switchboard.cluster.key-prefix")
                .hasMessageContaining("\"a b\"");
        ClusterSettings presence = settings(null);
        presence.presenceTtlMillis = 9000;
        assertThatThrownBy(presence::check).hasMessage("switchboard.cluster.presence-ttl-ms must be at least twice "
                + "switchboard.cluster.heartbeat-ms (3000) and twice switchboard.cluster.timeout-ms (2000), 10000 in "
                + "all; got 9000");
        ClusterSettings pubsub = settings(null);
        pubsub.pubsubConnections = 17;
        assertThatThrownBy(pubsub::check).hasMessage("switchboard.cluster.pubsub-connections must be 1 to 16, got 17");
    }
}
