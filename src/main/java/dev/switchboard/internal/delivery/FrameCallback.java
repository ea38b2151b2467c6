package dev.switchboard.internal.delivery;

/** Told once how a queued frame ended. */
@FunctionalInterface
public interface FrameCallback {

    /**
     * @param connection the id of the connection the frame was queued for
     * @param failure {@code null} when the frame was written, else why it was not
     */
    void done(String connection, Throwable failure);
}
