package dev.switchboard.connections;

/**
 * What a connection's outbox does with a new message when it already holds {@code switchboard.outbox.max-messages}
 * messages or {@code switchboard.outbox.max-bytes} bytes. Every choice keeps the other connections unaffected and is
 * counted; none is silent: the message's send stage (and its group's {@code SendReport}) fails with {@link
 * OutboxFullException}.
 */
public enum Overflow {

    /** Refuse the new message; what is queued stays. Costs this client the newest messages. */
    DROP_NEWEST,

    /** Discard the oldest queued message to make room. Costs this client older messages; it sees the newest. */
    DROP_OLDEST,

    /**
     * Close the connection with 1013 (try again later) and a reason naming the limit and the value seen. Costs the
     * client a reconnect; with group history it resumes from its last offset and loses nothing.
     */
    CLOSE
}
