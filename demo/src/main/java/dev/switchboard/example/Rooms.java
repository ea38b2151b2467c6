package dev.switchboard.example;

import dev.switchboard.connections.Connection;
import dev.switchboard.connections.Overflow;
import dev.switchboard.groups.GroupPolicy;
import dev.switchboard.events.Namespace;
import dev.switchboard.groups.Groups;
import dev.switchboard.groups.JoinRequested;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The chat rooms' rules. Their group policy, set at startup: rooms keep history so clients resume without gaps, and a
 * member that cannot keep up is closed (1013) rather than silently skipped: it reconnects and resumes from its last
 * offset. And who may join: {@code private-*} rooms need the role {@code member}.
 */
@ApplicationScoped
public class Rooms {

    static final String PREFIX = "chat_";

    @Inject
    Groups groups;

    @Inject
    @ConfigProperty(name = "demo.room.history-messages", defaultValue = "10000")
    int historyMessages;

    @Inject
    @ConfigProperty(name = "demo.room.history-bytes", defaultValue = "16777216")
    long historyBytes;

    void setUp(@Observes @Initialized(ApplicationScoped.class) Object started) {
        groups.policy(PREFIX, new GroupPolicy(Overflow.CLOSE, historyMessages, historyBytes));
    }

    /** Rooms named {@code private-*} are for users with the role {@code member}. */
    void privateRooms(@Observes @Namespace(Namespace.GROUP) JoinRequested request) {
        if (request.group().startsWith(PREFIX + "private-") && !request.connection().isUserInRole("member")) {
            request.deny("room " + request.group().substring(PREFIX.length()) + " requires the role member"
                    + (request.connection().principal().isPresent() ? "" : "; connect with credentials"));
        }
    }

    static String group(String room) {
        return PREFIX + room;
    }

    /** The longest display name, in characters (code points). */
    static final int NAME_MAX = 32;
    // Letters (with their combining marks: Devanagari, Thai, decomposed accents), digits, spaces and . _ ' -, with at
    // least one letter or digit.
    private static final java.util.regex.Pattern NAME =
            java.util.regex.Pattern.compile("[\\p{L}\\p{M}\\p{N} ._'-]*[\\p{L}\\p{N}][\\p{L}\\p{M}\\p{N} ._'-]*");

    /**
     * The name a connection shows in a room: the signed-in user's, else {@code ?name=}, else {@code guest-} and the
     * start of its id. A guest can pick any free name, a signed-in user's too: frames say who is signed in.
     *
     * @throws IllegalArgumentException quoting the name and the rule, if {@code ?name=} breaks it
     */
    static String nameOf(Connection connection) {
        if (connection.principal().isPresent()) {
            return connection.principal().get().getName();
        }
        java.util.List<String> asked = connection.queryParameters().get("name");
        String name = asked == null || asked.isEmpty() ? "" : asked.get(0).strip();
        if (name.isEmpty()) {
            return "guest-" + connection.id().substring(0, Math.min(4, connection.id().length()));
        }
        int length = name.codePointCount(0, name.length());
        if (length > NAME_MAX || !NAME.matcher(name).matches()) {
            String shown = length > NAME_MAX ? name.substring(0, name.offsetByCodePoints(0, NAME_MAX)) + "..." : name;
            throw new IllegalArgumentException("name \"" + shown + "\" must be 1 to " + NAME_MAX
                    + " letters, digits, spaces or . _ ' -, with a letter or digit");
        }
        return name;
    }
}
