package dev.switchboard.connections.internal;

import jakarta.websocket.CloseReason;
import java.nio.charset.StandardCharsets;

/** Close reasons that fit in a close frame. */
final class CloseReasons {

    /** RFC 6455: a close frame's payload is at most 125 bytes, 2 of them the code. */
    static final int MAX_REASON_BYTES = 123;

    private CloseReasons() {
    }

    /** @return {@code code} with {@code reason} cut to {@value #MAX_REASON_BYTES} UTF-8 bytes on a character boundary */
    public static CloseReason of(CloseReason.CloseCode code, String reason) {
        String text = reason == null ? "" : reason;
        if (text.getBytes(StandardCharsets.UTF_8).length <= MAX_REASON_BYTES) {
            return new CloseReason(code, text);
        }
        StringBuilder cut = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int len = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + len > MAX_REASON_BYTES) {
                break;
            }
            cut.appendCodePoint(cp);
            bytes += len;
            i += Character.charCount(cp);
        }
        return new CloseReason(code, cut.toString());
    }
}
