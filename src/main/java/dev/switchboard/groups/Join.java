package dev.switchboard.groups;

import dev.switchboard.connections.InvalidMessageException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a connection joins a group: attributes for its presence entry, and where to resume from.
 *
 * @param attributes what the application wants others to see of this member (a display name, a status); immutable
 * @param resumeFrom the last message the client has, if it is coming back; see {@link Groups#join(String,
 *     dev.switchboard.connections.Connection, Join)}
 */
public record Join(Map<String, String> attributes, Optional<Position> resumeFrom) {

    /** No attributes, no resume: a fresh member that gets the live stream only. */
    public static final Join FRESH = new Join(Map.of(), Optional.empty());

    /**
     * The join a client asks for in its handshake's query: {@code ?since=<offset>&epoch=<epoch>} resumes after the
     * last message it has (the browser client sends them when it reconnects); without {@code since} it is a fresh
     * join.
     *
     * @param query the handshake's query parameters, as {@link dev.switchboard.connections.Connection#queryParameters()}
     * @return a fresh join, or one resuming from that position
     * @throws InvalidMessageException if {@code since} is not a whole number, quoting it (for the client: a
     *     {@code @SwitchboardEndpoint} whose {@code @OnOpen} throws it closes with 1008 and the message)
     */
    public static Join from(Map<String, List<String>> query) {
        String since = first(query, "since");
        if (since == null) {
            return FRESH;
        }
        long offset;
        try {
            offset = Long.parseLong(since);
        } catch (NumberFormatException e) {
            throw new InvalidMessageException("since must be an offset (a whole number), got \"" + since + "\"");
        }
        String epoch = first(query, "epoch");
        return FRESH.resumingFrom(new Position(epoch == null ? "" : epoch, Math.max(0, offset)));
    }

    private static String first(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Copies the attributes. */
    public Join {
        attributes = Map.copyOf(attributes);
    }

    /** @return this join with {@code attributes} */
    public Join withAttributes(Map<String, String> attributes) {
        return new Join(attributes, resumeFrom);
    }

    /** @return this join, resuming after {@code position} */
    public Join resumingFrom(Position position) {
        return new Join(attributes, Optional.of(position));
    }
}
