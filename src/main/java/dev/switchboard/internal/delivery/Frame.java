package dev.switchboard.internal.delivery;

/**
 * A text frame encoded once and shared by every outbox it is queued in.
 *
 * @param text the JSON text
 * @param bytes its UTF-8 length, what the outbox's byte bound counts
 * @param line the text as one line, for connections that read every frame as lines (the {@code switchboard.batch}
 *     subprotocol): each line feed becomes a space. In JSON a line feed can only be whitespace between tokens (inside a
 *     string it is always escaped), so the message means the same; sent as it is, a pretty-printed message would reach
 *     the client as several broken ones, and a line of it could pass for a message of its own. The same object as
 *     {@code text} when the text has no line feed (compact JSON never has one), made once per frame otherwise, not
 *     once per connection.
 */
public record Frame(String text, int bytes, String line) {

    /** @return a frame for {@code text}, measuring it once */
    public static Frame of(String text) {
        int n = text.length();
        long bytes = n;
        boolean oneLine = true;
        // Counts without allocating the encoded bytes; unpaired surrogates count as the 1 byte '?' they are sent as.
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                oneLine = false;
            } else if (c >= 0x80) {
                if (c < 0x800) {
                    bytes += 1;
                } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                    bytes += 2; // 4 bytes for 2 chars
                    i++;
                } else if (!Character.isSurrogate(c)) {
                    bytes += 2;
                }
            }
        }
        return new Frame(text, (int) Math.min(bytes, Integer.MAX_VALUE), oneLine ? text : text.replace('\n', ' '));
    }
}
