package dev.switchboard.groups;

import dev.switchboard.connections.Connection;
import java.util.Optional;

/**
 * Fired (sync, in namespace {@value dev.switchboard.events.Namespace#GROUP}) before a connection joins a group, so
 * that the application can refuse: an observer calls {@link #deny(String)}, and {@link Groups#join} then throws {@link
 * JoinDeniedException} with that reason. An observer that throws refuses the join too (fail closed: a check that
 * could not decide must not let the connection in), and the exception is logged. With no observer, or none that
 * denies or throws, the join goes ahead.
 *
 * <pre>{@code
 * void onlyMembers(@Observes @Namespace(Namespace.GROUP) JoinRequested request) {
 *     if (request.group().startsWith("chat_private-") && !request.connection().isUserInRole("member")) {
 *         request.deny("room requires the role member");
 *     }
 * }
 * }</pre>
 *
 * Observers run in the joining thread; the first denial wins.
 */
public final class JoinRequested {

    private final String group;
    private final Connection connection;
    private volatile String denial;

    /**
     * @param group the group asked for
     * @param connection the connection that would join
     */
    public JoinRequested(String group, Connection connection) {
        this.group = group;
        this.connection = connection;
    }

    /** @return the group asked for */
    public String group() {
        return group;
    }

    /** @return the connection that would join */
    public Connection connection() {
        return connection;
    }

    /** @param reason why not, for the client and the log */
    public synchronized void deny(String reason) {
        if (denial == null) {
            denial = reason;
        }
    }

    /** @return the reason given by the first observer that denied, if any did */
    public Optional<String> denial() {
        return Optional.ofNullable(denial);
    }
}
