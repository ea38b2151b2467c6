package dev.switchboard.internal.delivery;

import java.util.List;

/**
 * Frames made on demand: a group's history replayed to a resuming connection. The outbox asks for the next few only
 * when its sender reaches them, so a resume costs the connection no memory per frame and no more sender time than
 * the client reads (a client that never reads gets one batch and is then handled like any stalled client).
 */
public interface FrameSource {

    /**
     * Called on a sender thread holding no outbox lock.
     *
     * @param max most frames wanted
     * @return the next frames, in order; empty once there are no more
     */
    List<Frame> next(int max);
}
