package dev.switchboard.connections.internal;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.websocket.CloseReason;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CloseReasonsTest {

    @Test
    void shortReasonIsKept() {
        CloseReason reason = CloseReasons.of(CloseReason.CloseCodes.VIOLATED_POLICY, "bad room");
        assertThat(reason.getReasonPhrase()).isEqualTo("bad room");
        assertThat(reason.getCloseCode()).isEqualTo(CloseReason.CloseCodes.VIOLATED_POLICY);
    }

    @Test
    void longReasonIsCutTo123BytesOnACharacterBoundary() {
        String reason = "é".repeat(100) + "€".repeat(10);
        String cut = CloseReasons.of(CloseReason.CloseCodes.TRY_AGAIN_LATER, reason).getReasonPhrase();
        assertThat(cut.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(123).isGreaterThan(120);
        assertThat(reason).startsWith(cut);
    }
}
