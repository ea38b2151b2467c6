package dev.switchboard.groups;

import dev.switchboard.connections.Connection;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * The application's groups (rooms) of connections: Nexios' {@code ChannelBox}. Inject it with {@code @Inject Groups
 * groups}.
 *
 * <p>Thread safety: every method may be called from any thread at any time. A send reaches every connection that was
 * a member for the whole send exactly once; a connection that joins or leaves during it may or may not get it. A group
 * exists while it has members: the last leave removes it. A connection leaves all its groups when it closes, errors or
 * is aborted, without the application calling {@link #leave}.
 *
 * <p>Group names are 1 to {@code switchboard.group.name-max-length} (default 128) characters from {@code A-Z a-z 0-9 .
 * _ : -}; any other name is refused with an {@link IllegalArgumentException} that quotes it.
 */
public interface Groups {

    /**
     * Adds {@code connection} to {@code group}, creating the group if needed; joining twice is the same as once.
     *
     * @throws IllegalArgumentException if the name is not valid
     */
    void join(String group, Connection connection);

    /** Removes {@code connection} from {@code group}; removes the group if it is now empty. No-op if not a member. */
    void leave(String group, Connection connection);

    /** Removes {@code connection} from every group it is in. */
    void leaveAll(Connection connection);

    /**
     * Sends {@code payload} to every member of {@code group} as one JSON text frame, encoded once (a {@code
     * jakarta.json.JsonValue} as it is, anything else with JSON-B). Returns as soon as the frame is queued in every
     * member's outbox: it never waits for a member's network write. A member whose outbox is full does not get it
     * (see the report); the others are not held back.
     *
     * @param group the group; sending to a group with no members reports zero recipients
     * @param payload what to send; not null
     * @return completes when every member's write has ended, with who got it and who did not
     * @throws IllegalArgumentException if the name is not valid
     */
    CompletionStage<SendReport> send(String group, Object payload);

    /** @return the members of {@code group} now; an immutable snapshot, empty if there is no such group */
    Set<Connection> members(String group);

    /** @return the groups that have members now; an immutable snapshot */
    Set<String> names();

    /** @return the groups {@code connection} is in now; an immutable snapshot */
    Set<String> groupsOf(Connection connection);
}
