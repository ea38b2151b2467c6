package dev.switchboard.connections.internal;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.connections.Overflow;
import org.junit.jupiter.api.Test;

/** A setting out of range fails the application's start with the key and the value (the check runs at startup). */
class ConnectionSettingsTest {

    private static ConnectionSettings valid() {
        ConnectionSettings s = new ConnectionSettings();
        s.maxMessages = 1024;
        s.maxBytes = 4 << 20;
        s.sendTimeoutMs = 10_000;
        s.senders = 4;
        s.overflow = Overflow.CLOSE;
        s.drainMs = 5_000;
        s.maxFrameBytes = 65_536;
        s.maxJsonDepth = 32;
        s.messagesPerSecond = 50;
        s.maxConnectionsPerPrincipal = 10;
        return s;
    }

    @Test
    void theDefaultsPass() {
        assertThatCode(() -> valid().check()).doesNotThrowAnyException();
    }

    @Test
    void eachOutOfRangeSettingIsNamedWithItsValue() {
        ConnectionSettings noMessages = valid();
        noMessages.maxMessages = 0;
        assertThatThrownBy(noMessages::check).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("switchboard.outbox.max-messages must be at least 1, got 0");
        ConnectionSettings noSenders = valid();
        noSenders.senders = -3;
        assertThatThrownBy(noSenders::check).hasMessageContaining("switchboard.outbox.senders").hasMessageContaining("-3");
        ConnectionSettings negativeDrain = valid();
        negativeDrain.drainMs = -1;
        assertThatThrownBy(negativeDrain::check).hasMessageContaining("switchboard.shutdown.drain-ms")
                .hasMessageContaining("-1");
    }
}
