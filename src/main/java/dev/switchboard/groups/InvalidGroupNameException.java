package dev.switchboard.groups;

/**
 * A group name broke the rule for names (see {@link Groups}); the message quotes it (escaped) and the rule. Names often
 * come from the client (a room in the path), so a {@code @SwitchboardEndpoint} whose {@code @OnOpen} throws it closes
 * with 1008 and the message.
 */
public class InvalidGroupNameException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** @param message the name, escaped, and the rule it broke */
    public InvalidGroupNameException(String message) {
        super(message);
    }
}
