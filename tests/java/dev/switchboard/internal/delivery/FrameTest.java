package dev.switchboard.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FrameTest {

    @Test
    void byteCountIsTheUtf8LengthForAnyWellFormedText() {
        Random random = new Random(42);
        for (int round = 0; round < 2_000; round++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(40);
            while (text.length() < length) {
                int cp = switch (random.nextInt(4)) {
                    case 0 -> random.nextInt(0x80);
                    case 1 -> 0x80 + random.nextInt(0x800 - 0x80);
                    case 2 -> 0xE000 + random.nextInt(0x1000);
                    default -> 0x10000 + random.nextInt(0x10000);
                };
                text.appendCodePoint(cp);
            }
            String s = text.toString();
            assertThat(Frame.of(s).bytes()).as(s).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
        }
    }

    @Test
    void loneSurrogateCountsAsTheOneByteItIsSentAs() {
        String s = "a\uD800b";
        assertThat(Frame.of(s).bytes()).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
    }
}
