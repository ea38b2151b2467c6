package dev.switchboard.internal.delivery;

import dev.switchboard.connections.Connection;
import dev.switchboard.connections.Overflow;

/**
 * What the groups need of a connection beyond the public {@link Connection}: queue a frame that is already encoded
 * (once for every member), stream a resume, and tell a slow-consumer close from any other. Every connection
 * Switchboard makes is one.
 */
public interface Member extends Connection {

    /**
     * Queues {@code frame}; {@code callback} is told once how it ended, through {@code later}.
     *
     * @param overflow what a full outbox does
     * @param lane the frames {@link Overflow#DROP_OLDEST} may evict for this one: those of the same lane (a group)
     * @param later where callbacks and closes wait while the caller holds a lock
     */
    void offer(Frame frame, Overflow overflow, FrameCallback callback, Object lane, Deferred later);

    /** Queues frames made on demand (a resume), after what is queued now. */
    void resume(FrameSource source, Deferred later);

    /** @return live frames waiting in its outbox, not counting the one being written */
    int queuedFrames();

    /** @return true if Switchboard closed it because it could not keep up */
    boolean closedAsSlowConsumer();

    /**
     * Runs {@code action} once the connection has closed, at once if it has. What {@code closed().thenRun(action)}
     * does, for less of the memory an idle connection keeps for it (one stage instead of two, and no relay).
     */
    void whenClosed(Runnable action);

    /**
     * @return {@code connection} as a member
     * @throws IllegalArgumentException if it is not one of Switchboard's connections
     */
    static Member of(Connection connection) {
        if (connection instanceof Member member) {
            return member;
        }
        throw new IllegalArgumentException("not a Switchboard connection: " + connection
                + "; pass the Connection that Switchboard gave you");
    }
}
