package dev.switchboard.connections.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.connections.Overflow;
import org.junit.jupiter.api.Test;

/** The overflow decision, on its own. */
class AdmissionTest {

    @Test
    void aFrameThatFitsIsQueuedWhateverThePolicy() {
        for (Overflow overflow : Overflow.values()) {
            assertThat(Admission.of(true, false, overflow)).isEqualTo(Admission.QUEUE);
        }
    }

    @Test
    void aFullOutboxDoesWhatItsPolicySays() {
        assertThat(Admission.of(false, false, Overflow.DROP_OLDEST)).isEqualTo(Admission.EVICT_OLDEST);
        assertThat(Admission.of(false, false, Overflow.DROP_NEWEST)).isEqualTo(Admission.REFUSE);
        assertThat(Admission.of(false, false, Overflow.CLOSE)).isEqualTo(Admission.CLOSE);
    }

    @Test
    void aFrameLargerThanTheOutboxIsRefusedAndClosesNothing() {
        for (Overflow overflow : Overflow.values()) {
            assertThat(Admission.of(false, true, overflow)).isEqualTo(Admission.REFUSE);
        }
    }
}
