package dev.switchboard.connections.internal;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.connections.Overflow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A setting out of range fails the application's start with the key and the value (the check runs at startup). */
class ConnectionSettingsTest {

    /** @return the defaults, as MicroProfile Config would inject them */
    private static ConnectionSettings defaults() {
        ConnectionSettings settings = new ConnectionSettings();
        settings.maxMessages = 1024;
        settings.maxBytes = 4_194_304;
        settings.sendTimeoutMs = 10_000;
        settings.senders = 4;
        settings.overflow = Overflow.CLOSE;
        settings.drainMs = 5_000;
        settings.maxFrameBytes = 65_536;
        settings.maxJsonDepth = 32;
        settings.messagesPerSecond = 50;
        settings.maxConnectionsPerPrincipal = 10;
        settings.burstSeconds = 5;
        settings.batchMaxBytes = 65_536;
        return settings;
    }

    @Test
    void theDefaultsPass() {
        assertThatCode(() -> defaults().check()).doesNotThrowAnyException();
    }

    @Test
    void eachOutOfRangeSettingIsNamedWithItsValue() {
        ConnectionSettings noMessages = defaults();
        noMessages.maxMessages = 0;
        assertThatThrownBy(noMessages::check).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("switchboard.outbox.max-messages must be at least 1, got 0");
        ConnectionSettings noSenders = defaults();
        noSenders.senders = -3;
        assertThatThrownBy(noSenders::check).hasMessageContaining("switchboard.outbox.senders").hasMessageContaining("-3");
        ConnectionSettings noBatch = defaults();
        noBatch.batchMaxBytes = 0;
        assertThatThrownBy(noBatch::check).hasMessage(
                "switchboard.outbox.batch-max-bytes must be between 1 and 16777216, got 0");
        ConnectionSettings batchOverOutbox = defaults();
        batchOverOutbox.maxBytes = 100_000;
        batchOverOutbox.batchMaxBytes = 100_001;
        assertThatThrownBy(batchOverOutbox::check).hasMessage(
                "switchboard.outbox.batch-max-bytes must be between 1 and 100000, got 100001");
        ConnectionSettings negativeDrain = defaults();
        negativeDrain.drainMs = -1;
        assertThatThrownBy(negativeDrain::check).hasMessageContaining("switchboard.shutdown.drain-ms")
                .hasMessageContaining("-1");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 5, 60})
    void aBurstOfOneToSixtySecondsIsAccepted(int seconds) {
        ConnectionSettings settings = defaults();
        settings.burstSeconds = seconds;
        assertThatCode(settings::check).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 61, Integer.MAX_VALUE})
    void aBurstOutOfRangeFailsNamingTheKeyTheValueAndTheRange(int seconds) {
        ConnectionSettings settings = defaults();
        settings.burstSeconds = seconds;
        assertThatThrownBy(settings::check).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("switchboard.limits.burst-seconds must be between 1 and 60, got " + seconds);
    }
}
