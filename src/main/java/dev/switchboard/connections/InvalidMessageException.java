package dev.switchboard.connections;

import dev.switchboard.SwitchboardException;
import java.util.OptionalLong;

/**
 * A client's text frame was refused: not a JSON object, nested too deeply, or over the rate limit. The message says
 * why and is what the client is told; where a limit was broken, {@link #seen()} and {@link #limit()} carry the values.
 */
public class InvalidMessageException extends SwitchboardException {

    private static final long serialVersionUID = 1L;
    private static final long NONE = -1;

    private final long seen;
    private final long limit;

    /** @param message why the frame was refused */
    public InvalidMessageException(String message) {
        this(message, NONE, NONE);
    }

    /**
     * @param message why the frame was refused
     * @param seen the value that broke the limit (a depth, a rate)
     * @param limit the limit
     */
    public InvalidMessageException(String message, long seen, long limit) {
        super(message);
        this.seen = seen;
        this.limit = limit;
    }

    /** @return the value that broke a limit; empty if the frame was refused for its content */
    public OptionalLong seen() {
        return seen == NONE ? OptionalLong.empty() : OptionalLong.of(seen);
    }

    /** @return the limit it broke; empty if the frame was refused for its content */
    public OptionalLong limit() {
        return limit == NONE ? OptionalLong.empty() : OptionalLong.of(limit);
    }
}
