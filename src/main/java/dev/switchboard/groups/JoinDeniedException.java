package dev.switchboard.groups;

import dev.switchboard.SwitchboardException;

/** A join was refused: by an observer of {@link JoinRequested}, or by the groups-per-connection limit. */
public class JoinDeniedException extends SwitchboardException {

    private static final long serialVersionUID = 1L;

    private final String group;
    private final String reason;

    /**
     * @param group the group the connection asked to join
     * @param reason why it was refused, for the client
     */
    public JoinDeniedException(String group, String reason) {
        super("group \"" + group + "\": " + reason);
        this.group = group;
        this.reason = reason;
    }

    /** @return the group the connection asked to join */
    public String group() {
        return group;
    }

    /** @return why it was refused */
    public String reason() {
        return reason;
    }
}
