package dev.switchboard.groups;

import java.util.Objects;

/**
 * A place in a group's message stream: the offset of the last message a client has, in the history epoch it came
 * from.
 *
 * @param epoch the group's epoch when the client got that message
 * @param offset the offset of that message (0 for "none yet")
 */
public record Position(String epoch, long offset) {

    /** Checks the values. */
    public Position {
        Objects.requireNonNull(epoch, "epoch");
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be 0 or more, got " + offset);
        }
    }
}
