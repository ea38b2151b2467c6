package dev.switchboard.groups.internal.backplane;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * How a group's stream reaches the other servers (README, "Running several servers"). Offsets and epochs are assigned
 * by the backplane, atomically with appending to the group's stream and publishing, so every server sees one order;
 * each server delivers it to its own members ({@link ClusterSync}). Public only for its implementation on Redis
 * ({@code groups.internal.backplane}): an application never sees it.
 */
public interface Backplane extends AutoCloseable {

    /**
     * Subscribes to {@code group} (once per name however often it is attached) and then reads where it stands; blocks
     * until both are done or the backplane's timeout passes.
     *
     * @param tail how many of its latest entries to read
     * @return its epoch (created if it had none), top offset, and up to {@code tail} latest entries
     * @throws RuntimeException if the backplane could not be reached
     */
    Snapshot attach(String group, int tail);

    /** Undoes one {@link #attach}; unsubscribes when no attach of the name is left. Never blocks. */
    void detach(String group);

    /**
     * Appends {@code payload} to the group's stream and publishes it, with the next offset; a publish repeated with
     * the same {@code id} (a replay after a reconnect) gets the same offset and is not published twice.
     *
     * @param seen the last position this server delivered: if Redis is behind it in the same epoch, Redis lost what it
     *     acknowledged (a restart from an old snapshot), and a new epoch starts before the offset is given
     * @param keep how many entries the stream keeps
     */
    CompletionStage<Published> publish(String group, String payload, String id, Seen seen, int keep);

    /**
     * Reads the group's epoch, top offset and up to {@code max} entries after {@code seen.offset()}; starts a new
     * epoch if Redis is behind {@code seen} in the same epoch (see {@link #publish}).
     */
    CompletionStage<Snapshot> read(String group, Seen seen, int max);

    // Presence. A server records its members under an incarnation (its id and a generation): a server taken for dead
    // and swept goes on as a new incarnation, so that a sweep of the old one never removes what it writes since.

    /**
     * Records that {@code member} of {@code incarnation} is in {@code group}, with its presence {@code entry}. Issued by
     * a caller holding the group's monitor, so that one member's records reach the backplane in the order its joins
     * and leaves happened; never blocks.
     *
     * @return completes once recorded, or exceptionally if the backplane did not take it
     */
    CompletionStage<Void> present(String group, String incarnation, String member, String entry);

    /** Removes what {@link #present} recorded; as it, never blocks. */
    CompletionStage<Void> absent(String group, String incarnation, String member);

    /** @return the presence entries of {@code group} on every server */
    CompletionStage<List<String>> presence(String group);

    /**
     * Makes the entries of {@code incarnation} in {@code group} exactly {@code entries} (member id to entry): after an
     * outage, in which some of {@link #present} and {@link #absent} may have failed. Issued under the group's monitor,
     * as they.
     */
    CompletionStage<Void> resync(String group, String incarnation, java.util.Map<String, String> entries);

    /**
     * Says {@code incarnation} is alive for {@code ttlMillis} more.
     *
     * @return {@link Heartbeat#FINE}; {@link Heartbeat#LOST} if Redis has none of its entries (write them again); or
     *     {@link Heartbeat#SWEPT} if it was taken for dead (go on as a new incarnation)
     */
    CompletionStage<Heartbeat> heartbeat(String incarnation, long ttlMillis);

    /**
     * Takes the incarnations that stopped saying they are alive for sweeping, each by one caller.
     *
     * @param self the caller's incarnation, never taken
     * @param tombstoneMillis how long a swept incarnation's late heartbeat is still told {@link Heartbeat#SWEPT}
     * @return every incarnation still to sweep: taken now, or before by a sweeper that has not finished
     */
    CompletionStage<List<String>> claim(String self, long tombstoneMillis);

    /**
     * Removes the presence entries of {@code incarnation}, one taken by {@link #claim}. Each entry is removed once,
     * whoever else sweeps the same incarnation at the same time.
     *
     * @param removed called with the entries this call removed from each group, as soon as they are removed (on a
     *     thread of the backplane: hand them on)
     * @return completes once every group was swept
     */
    CompletionStage<Void> sweep(String incarnation, java.util.function.Consumer<List<Gone>> removed);

    /** A graceful stop: {@code incarnation} is no longer alive, and has nothing left to sweep. */
    CompletionStage<Void> leave(String incarnation);

    /** What a heartbeat found. */
    enum Heartbeat {
        /** Alive, its entries as it left them. */
        FINE,
        /** Redis has none of its entries (it lost its data): write them again. */
        LOST,
        /** It was taken for dead: a sweep removes its entries; go on as a new incarnation. */
        SWEPT
    }

    /** Called every check interval: connects what is not connected, probes what should be delivering. */
    void check();

    /** @return true while this server can publish and is known to receive what is published (its probe came back) */
    boolean ready();

    /** @return connections made to the backplane since the start, the first ones included */
    long connects();

    /** @return subscriber connections replaced because they stopped delivering (their probe did not come back) */
    long probeTimeouts();

    /** @return where the backplane is, and why it is not ready if it is not; for health and logs */
    String status();

    @Override
    void close();

    /** @return a new epoch: 60 random bits, so that a client resuming with a stale epoch never meets it by chance */
    static String newEpoch() {
        return java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    /** Where a server stands in a group's stream. */
    record Seen(String epoch, long offset) {
        /** Nothing seen yet. */
        public static final Seen NOTHING = new Seen("", 0);
    }

    /** One entry of a group's stream: the payload as published, without stamp, and the publish's id. */
    record Entry(long offset, String payload, String id) {
    }

    /** A group's epoch, top offset and some of its entries, oldest first. */
    record Snapshot(String epoch, long top, List<Entry> entries) {
    }

    /** A presence entry removed by {@link #sweep}. */
    record Gone(String group, String entry) {
    }

    /** A publish's place in its group's stream. */
    record Published(String epoch, long offset) {
    }

    /** What the backplane tells the server it runs in. */
    interface Receiver {

        /** A message published to {@code group} (by any server, this one included). */
        void received(String group, Entry entry, String epoch);

        /** A connection to the backplane came back: messages may have been missed; catch up every group. */
        void reconnected();
    }
}
