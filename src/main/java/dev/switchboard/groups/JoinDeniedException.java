package dev.switchboard.groups;

import dev.switchboard.SwitchboardException;

/** A join was refused: by an observer of {@link JoinRequested}, or by the groups-per-connection limit. */
public class JoinDeniedException extends SwitchboardException {

    private static final long serialVersionUID = 1L;

    /** @param message the group and why */
    public JoinDeniedException(String message) {
        super(message);
    }
}
