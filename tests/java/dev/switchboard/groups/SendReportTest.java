package dev.switchboard.groups;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.SwitchboardException;
import dev.switchboard.connections.ConnectionClosedException;
import dev.switchboard.connections.OutboxFullException;
import dev.switchboard.connections.Overflow;
import dev.switchboard.connections.SlowConsumerException;
import dev.switchboard.groups.SendReport.Reason;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** A failed write's reason, from what the member's outbox told the send: a slow close is not a plain close. */
class SendReportTest {

    private static OutboxFullException full(Overflow overflow) {
        return new OutboxFullException("full", overflow, 2, 10, 2, 100);
    }

    @Test
    void aDropByTheOverflowPolicyIsDropped() {
        assertThat(Reason.of(full(Overflow.DROP_NEWEST))).isEqualTo(Reason.DROPPED);
        assertThat(Reason.of(full(Overflow.DROP_OLDEST))).isEqualTo(Reason.DROPPED);
    }

    @Test
    void aCloseBecauseTheMemberCouldNotKeepUpIsASlowConsumer() {
        SlowConsumerException timedOut = new SlowConsumerException("slow", 3_100, 3_000);
        assertThat(Reason.of(full(Overflow.CLOSE))).isEqualTo(Reason.SLOW_CONSUMER);
        assertThat(Reason.of(timedOut)).isEqualTo(Reason.SLOW_CONSUMER);
        assertThat(Reason.of(new ConnectionClosedException("closed", 1013, timedOut))).isEqualTo(Reason.SLOW_CONSUMER);
        assertThat(Reason.of(new ConnectionClosedException("closed", 1013, full(Overflow.CLOSE))))
                .isEqualTo(Reason.SLOW_CONSUMER);
    }

    @Test
    void anyOtherCloseIsClosedAndAnythingElseAFailedWrite() {
        assertThat(Reason.of(new ConnectionClosedException("closed", 1000, null))).isEqualTo(Reason.CLOSED);
        assertThat(Reason.of(new ConnectionClosedException("closed", 1001, full(Overflow.DROP_NEWEST))))
                .isEqualTo(Reason.CLOSED);
        assertThat(Reason.of(new SwitchboardException("write failed", new IOException("reset"))))
                .isEqualTo(Reason.WRITE_FAILED);
    }
}
