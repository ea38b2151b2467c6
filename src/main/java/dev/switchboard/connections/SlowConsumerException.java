package dev.switchboard.connections;

import dev.switchboard.SwitchboardException;

/**
 * A write to a connection did not complete within {@code switchboard.outbox.send-timeout-ms}; the connection was closed
 * with {@value #CLOSE_CODE} (try again later).
 */
public class SlowConsumerException extends SwitchboardException {

    private static final long serialVersionUID = 1L;

    /** The close code the connection got: 1013, try again later. */
    public static final int CLOSE_CODE = 1013;

    private final long elapsedMs;
    private final long timeoutMs;

    /**
     * @param message the connection, the timeout and how long the write had taken
     * @param elapsedMs how long the write had taken
     * @param timeoutMs the limit, {@code switchboard.outbox.send-timeout-ms}
     */
    public SlowConsumerException(String message, long elapsedMs, long timeoutMs) {
        super(message);
        this.elapsedMs = elapsedMs;
        this.timeoutMs = timeoutMs;
    }

    /** @return how long the write had taken when it was given up, in milliseconds */
    public long elapsedMs() {
        return elapsedMs;
    }

    /** @return the limit, {@code switchboard.outbox.send-timeout-ms} */
    public long timeoutMs() {
        return timeoutMs;
    }
}
