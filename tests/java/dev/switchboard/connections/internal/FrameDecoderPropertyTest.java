package dev.switchboard.connections.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.connections.InvalidMessageException;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Whatever a client sends, decoding ends in an object or an {@link InvalidMessageException}: nothing else. */
class FrameDecoderPropertyTest {

    private final FrameDecoder decoder = new FrameDecoder(32);

    @Property(tries = 2_000)
    void anyTextIsAnObjectOrARefusalWithAReason(@ForAll String text) {
        decodeOrRefuse(text);
    }

    @Property(tries = 1_000)
    void anyBytesDecodedAsUtf8AreAnObjectOrARefusal(@ForAll @Size(max = 300) byte[] bytes) {
        decodeOrRefuse(new String(bytes, StandardCharsets.UTF_8));
    }

    @Property(tries = 300)
    void nestingPastTheLimitIsRefusedQuotingDepthAndLimit(@ForAll @IntRange(min = 33, max = 100_000) int depth) {
        String text = "{\"a\":" + "[".repeat(depth - 1) + "]".repeat(depth - 1) + "}";
        assertThatThrownBy(() -> decoder.decode(text)).isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("nested " + depth + " deep").hasMessageContaining("is 32");
    }

    @Property(tries = 300)
    void nestingWithinTheLimitIsDecoded(@ForAll @IntRange(min = 1, max = 32) int depth) {
        String value = depth == 1 ? "1" : "[".repeat(depth - 1) + "]".repeat(depth - 1);
        String text = "{\"a\":" + value + "}";
        assertThat(decoder.decode(text)).containsKey("a");
    }

    @Property(tries = 500)
    void bracketsInsideStringsDoNotCount(@ForAll @IntRange(min = 1, max = 500) int n) {
        JsonObject decoded = decoder.decode("{\"s\":\"" + "[{".repeat(n) + "\\\"]\"}");
        assertThat(decoded.getString("s")).startsWith("[{");
    }

    private void decodeOrRefuse(String text) {
        try {
            assertThat(decoder.decode(text)).isNotNull();
        } catch (InvalidMessageException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}
