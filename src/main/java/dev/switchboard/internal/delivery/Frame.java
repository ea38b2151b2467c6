package dev.switchboard.internal.delivery;

/**
 * A text frame encoded once and shared by every outbox it is queued in.
 *
 * @param text the JSON text
 * @param bytes its UTF-8 length, what the outbox's byte bound counts
 */
public record Frame(String text, int bytes) {

    /** @return a frame for {@code text}, measuring it once */
    public static Frame of(String text) {
        return new Frame(text, utf8Length(text));
    }

    // Counts without allocating the encoded bytes; unpaired surrogates count as the 1 byte '?' they are sent as.
    private static int utf8Length(String s) {
        int n = s.length();
        long bytes = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    bytes += 1;
                } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    bytes += 2; // 4 bytes for 2 chars
                    i++;
                } else if (!Character.isSurrogate(c)) {
                    bytes += 2;
                }
            }
        }
        return (int) Math.min(bytes, Integer.MAX_VALUE);
    }
}
