package dev.switchboard.groups;

import dev.switchboard.connections.Connection;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One member of a group, as presence shows it.
 *
 * @param connection the member's connection
 * @param principal the authenticated user's name, if any
 * @param joinedAt when it joined this group
 * @param attributes what the application set when it joined; immutable
 */
public record GroupMember(Connection connection, Optional<String> principal, Instant joinedAt,
        Map<String, String> attributes) {

    /** Copies the attributes. */
    public GroupMember {
        attributes = Map.copyOf(attributes);
    }

    /** @return the member's connection id */
    public String id() {
        return connection.id();
    }
}
