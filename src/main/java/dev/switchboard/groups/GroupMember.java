package dev.switchboard.groups;

import dev.switchboard.connections.Connection;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One member of a group, as presence shows it.
 *
 * @param id the member's connection id
 * @param server the server the connection is on: an id that is new each time a server starts (see {@link
 *     Groups#server()})
 * @param connection the connection, if it is on this server; empty for a member on another server
 * @param principal the authenticated user's name, if any
 * @param joinedAt when it joined this group
 * @param attributes what the application set when it joined; immutable
 */
public record GroupMember(String id, String server, Optional<Connection> connection, Optional<String> principal,
        Instant joinedAt, Map<String, String> attributes) {

    /** Checks the values and copies the attributes. */
    public GroupMember {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(joinedAt, "joinedAt");
        attributes = Map.copyOf(attributes);
    }

    /** A member on this server. */
    public GroupMember(Connection connection, String server, Optional<String> principal, Instant joinedAt,
            Map<String, String> attributes) {
        this(connection.id(), server, Optional.of(connection), principal, joinedAt, attributes);
    }
}
