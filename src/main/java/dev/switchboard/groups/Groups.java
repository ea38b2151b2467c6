package dev.switchboard.groups;

import dev.switchboard.connections.Connection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * The application's groups (rooms) of connections: Nexios' {@code ChannelBox}. Inject it with {@code @Inject Groups
 * groups}.
 *
 * <p>Thread safety: every method may be called from any thread at any time. Sends to one group are ordered: each gets
 * the next offset, and every member receives them in offset order. A send reaches every connection that was a member
 * for the whole send exactly once; one that joins or leaves during it may or may not get it. A group exists while it
 * has members: the last leave removes it, with its history. A connection leaves all its groups when it closes, errors,
 * is aborted or is closed as a slow consumer, without the application calling {@link #leave}. Every join and leave
 * fires {@link MemberJoined} / {@link MemberLeft} in namespace {@value dev.switchboard.events.Namespace#GROUP}.
 *
 * <p>Group names are 1 to {@code switchboard.group.name-max-length} (default 128) characters from {@code A-Z a-z 0-9 .
 * _ : -}; any other name is refused with an {@link IllegalArgumentException} that quotes it.
 */
public interface Groups {

    /**
     * Adds {@code connection} to {@code group} with no attributes and no resume; see {@link #join(String, Connection,
     * Join)}.
     *
     * @return where the stream stands as it joins
     * @throws IllegalArgumentException if the name is not valid
     * @throws JoinDeniedException if the join was refused
     */
    Position join(String group, Connection connection);

    /**
     * Adds {@code connection} to {@code group}, creating the group if needed; joining twice is the same as once. A
     * connection that is already closed joins nothing. First {@link JoinRequested} is fired, and the join is refused
     * if an observer denies it, if an observer throws (fail closed: the exception is logged, the join refused), or if
     * the connection is already in {@code switchboard.group.max-per-connection} groups. A join and the connection's
     * close are atomic with respect to each other: a closed connection never stays a member.
     *
     * <p>With {@link Join#resumeFrom()} set, and the group keeping history: if the position's epoch is the group's and
     * every message after its offset is still in history, those messages are queued to the connection first, in order,
     * then the live stream follows with no gap and no duplicate at the seam. Otherwise the connection first gets
     * {@code {"type":"reset","epoch":"<epoch>","offset":<n>}}, where {@code n} is the offset before the oldest message
     * still kept, then those messages and the live stream: it knows it missed what came before. History is not copied
     * into the connection's outbox: its sender takes it from the group a batch at a time as the client reads, so a
     * resume costs no memory per message and a client that does not read is handled like any stalled client. If
     * messages are evicted before its sender gets to them, a reset frame says so at that point.
     *
     * @return where the stream stands as it joins: the epoch, and the offset of the last message before its live stream
     * @throws IllegalArgumentException if the name is not valid
     * @throws JoinDeniedException if an observer of {@link JoinRequested} denied it or threw, or the connection is in
     *     too many groups
     */
    Position join(String group, Connection connection, Join join);

    /**
     * Checks a name against the rule for group names, for example to refuse a handshake before it becomes a
     * connection.
     *
     * @param group a proposed group name
     * @throws IllegalArgumentException quoting the name and the rule it broke
     */
    void checkName(String group);

    /** Removes {@code connection} from {@code group}; removes the group if it is now empty. No-op if not a member. */
    void leave(String group, Connection connection);

    /** Removes {@code connection} from every group it is in. */
    void leaveAll(Connection connection);

    /**
     * Sends {@code payload} to every member of {@code group} as one JSON text frame, encoded once (a {@code
     * jakarta.json.JsonValue} as it is, anything else with JSON-B; stamped with offset and epoch if the group keeps
     * history). Returns as soon as the frame is queued in every member's outbox: it never waits for a member's network
     * write. A member whose outbox is full is handled by the group's {@link GroupPolicy#overflow()}; the others are not
     * held back.
     *
     * @param group the group; sending to a group with no members reports zero recipients
     * @param payload what to send; not null; a JSON object if the group keeps history
     * @return completes when every member's write has ended, with who got it and who did not; on one of
     *     Switchboard's sender threads, or on the thread whose send or close ended the last write, never while it
     *     holds a group's lock (see {@link dev.switchboard.connections.Connection#send}): a dependent stage may send
     *     to the same group, and its message comes after this one
     * @throws IllegalArgumentException if the name is not valid, the group keeps history and the payload is not a
     *     JSON object, or the encoded payload is larger than {@code switchboard.outbox.max-bytes} (less 64 bytes for
     *     the offset and epoch): no outbox could hold it
     */
    CompletionStage<SendReport> send(String group, Object payload);

    /**
     * Sends {@code payload} to every member of {@code group} but {@code except}, typically the connection that sent it
     * (a chat message its author already shows). Otherwise as {@link #send(String, Object)}: the message takes the
     * group's next offset and stays in its history, so {@code except}'s client sees the offsets skip it, and gets it
     * when it resumes from before it.
     *
     * @param except the member that does not get it; it need not be a member
     * @return as {@link #send(String, Object)}; {@code except} is not among the recipients
     * @throws IllegalArgumentException as {@link #send(String, Object)}, or if {@code except} is not a Switchboard
     *     connection
     */
    CompletionStage<SendReport> sendExcept(String group, Object payload, Connection except);

    /**
     * Sets the policy of the groups whose names start with {@code prefix} (the longest matching prefix wins), for
     * groups created after this call: set policies at startup.
     *
     * @param prefix a name prefix; {@code ""} for every group
     * @param policy the policy
     */
    void policy(String prefix, GroupPolicy policy);

    /**
     * @param group a group
     * @param afterOffset an offset of it
     * @return the messages still in its history with offsets after {@code afterOffset}, oldest first; empty if none
     */
    List<GroupMessage> history(String group, long afterOffset);

    /**
     * @return a snapshot of {@code group} on this server: its members here, history, counters; empty if it has no
     *     members here
     */
    Optional<GroupInfo> info(String group);

    /**
     * Every member of {@code group}, on every server (README, "Running several servers"), in the order they joined:
     * members here with their connection, members on other servers without. On a single server, the members here,
     * completed at once. A crashed server's members stay listed until they are swept: about the presence TTL after
     * its last heartbeat, longer if Redis was away meanwhile.
     *
     * @return completes with the members, or exceptionally with {@link ClusterUnavailableException} if Redis could not
     *     be asked; on one of Switchboard's threads (never Redis' client's), or at once on a single server
     * @throws IllegalArgumentException if the name is not valid
     */
    CompletionStage<List<GroupMember>> presence(String group);

    /**
     * @return this server's id ({@link GroupMember#server()} of the members here): random, and new each time the
     *     server starts, so that a restarted server is not mistaken for the one that crashed
     */
    String server();

    /** @return the members of {@code group} on this server now; an immutable snapshot, empty if there is none here */
    Set<Connection> members(String group);

    /** @return the groups that have members now; an immutable snapshot */
    Set<String> names();

    /** @return the groups {@code connection} is in now; an immutable snapshot */
    Set<String> groupsOf(Connection connection);

    /** @return messages not delivered, and members closed as slow consumers, across all groups since startup */
    Totals totals();

    /**
     * Counters across all groups.
     *
     * @param dropped messages a member did not get (see {@link GroupInfo#dropped()})
     * @param slowClosed connections closed as slow consumers while in at least one group, each counted once
     */
    record Totals(long dropped, long slowClosed) {
    }
}
