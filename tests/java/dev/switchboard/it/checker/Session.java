package dev.switchboard.it.checker;

import java.util.ArrayList;
import java.util.List;

/**
 * What one WebSocket connection of the checker saw, in order: the frames it received, and how it ended. The
 * checker's clients fill it; {@link DeliveryChecks} judges it afterwards.
 */
public final class Session {

    /** What a connection is doing while it is open. */
    public enum Role {
        /** Reads every frame as it comes. */
        STEADY,
        /** Stops reading now and then, for up to a few seconds. */
        PAUSER,
        /** Never reads. */
        STALLED,
        /** Publishes, and reads like STEADY. */
        PUBLISHER
    }

    /** One room frame: the message's publisher and seq, and its offset and epoch (0 and null if not stamped). */
    public record Message(String publisher, long seq, long offset, String epoch) {
    }

    /** A reset frame: what follows starts after {@code offset}, in {@code epoch}. */
    public record Reset(long offset, String epoch) {
    }

    /** A frame the checker cares about: a message or a reset; anything else (welcome, presence) is not kept. */
    public record Frame(Message message, Reset reset, String error) {
    }

    public final String client;
    public final String room;
    public final boolean history;   // the room stamps offsets and keeps history
    public final boolean closeOnOverflow; // CLOSE policy: no frame may be skipped while open
    public final Role role;
    public final long resumedAfter;  // -1: a fresh join; else the offset it asked to resume after
    public final String resumedEpoch;
    public final List<Frame> frames = new ArrayList<>();
    /** The close the server sent, if it did: code and reason. */
    public volatile Integer closeCode;
    public volatile String closeReason;
    /** True if the checker ended it itself (abort or close), so the server's later frames are not owed to it. */
    public volatile boolean endedByClient;
    /** Messages this connection published, in order (seq). */
    public final List<Long> published = new ArrayList<>();
    /** For each publisher of the room: the last seq it had published when this connection opened. */
    public final java.util.Map<String, Long> publishedBefore = new java.util.HashMap<>();
    /** Set when the run ends: it was open then, so it is owed every message to the end. */
    public volatile boolean openAtEnd;
    /** How many frames it had when the run ended (-1: all): later ones come from the checker's own closing. */
    public volatile int framesAtEnd = -1;

    public Session(String client, String room, boolean history, boolean closeOnOverflow, Role role, long resumedAfter,
            String resumedEpoch) {
        this.client = client;
        this.room = room;
        this.history = history;
        this.closeOnOverflow = closeOnOverflow;
        this.role = role;
        this.resumedAfter = resumedAfter;
        this.resumedEpoch = resumedEpoch;
    }

    /** @return true while it is open: neither the server nor the checker ended it */
    public boolean openToTheEnd() {
        return closeCode == null && !endedByClient;
    }

    @Override
    public String toString() {
        return client + "@" + room + "[" + role + (resumedAfter >= 0 ? ", resumed after " + resumedAfter : "") + "]";
    }
}
