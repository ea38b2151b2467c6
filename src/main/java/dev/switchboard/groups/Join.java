package dev.switchboard.groups;

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
