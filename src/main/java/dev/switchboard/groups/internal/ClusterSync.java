package dev.switchboard.groups.internal;

import dev.switchboard.groups.internal.backplane.Backplane;
import dev.switchboard.groups.ClusterUnavailableException;
import dev.switchboard.groups.GroupPolicy;
import dev.switchboard.groups.Position;
import dev.switchboard.groups.SendReport;
import dev.switchboard.internal.delivery.Member;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The groups of this server joined to the same groups on every other server, through a {@link Backplane}. A send is
 * published with the group's next offset from the backplane; every server, this one included, delivers it to its own
 * members when it arrives ({@link Group#arrive}). A group here subscribes when it gets its first member on this server
 * and starts from where the backplane stands ({@link Group#attach}).
 *
 * <p>Nothing published is lost on the way: what arrives ahead of a gap waits while the gap is read from the
 * backplane's stream; every group is also read after each reconnect and every check interval, which catches what a
 * deaf or reconnecting subscriber missed in a quiet group. What the stream no longer has reaches the members as a
 * reset frame.
 */
final class ClusterSync implements Backplane.Receiver {

    private static final Logger LOG = Logger.getLogger(ClusterSync.class.getName());
    /** Entries read from the backplane at once when catching up. */
    static final int READ_BATCH = 500;

    private final Map<String, Group> groups;
    private final LongAdder totalDropped;
    private final int keep;
    private final long timeoutMillis;
    private final ScheduledExecutorService timer;
    private final ExecutorService[] lanes;   // what the backplane brings, a group always on the same lane: in order
    private final ExecutorService completions; // callers' continuations: may block, never on a lane nor Lettuce's
    private final Runnable delivered;
    private final LongConsumer publishNanos;
    private final String node = Backplane.newEpoch().substring(0, 10);
    private final AtomicLong sequence = new AtomicLong();
    private volatile Backplane backplane = new Starting();

    final LongAdder publishFailures = new LongAdder();
    final LongAdder gapFills = new LongAdder();
    final LongAdder resets = new LongAdder();
    final LongAdder laneFull = new LongAdder();

    /**
     * @param keep entries kept in the backplane for a group without history (to fill gaps from)
     * @param checkMillis how often the backplane's connections are checked
     * @param readAllMillis how often every group is read from the backplane, to catch up what pub/sub lost
     * @param timer runs the periodic checks
     * @param threads makes the threads that deliver what the backplane brings (two lanes, a group always on the same
     *     one, so that its messages arrive in order) and that complete sends for callers (as many as their
     *     continuations hold): never Lettuce's own threads, which must stay free to read Redis' replies (a caller's
     *     continuation may wait for one), nor the timer
     * @param delivered runs after messages were delivered here (the registry trims the histories if they are over)
     * @param publishNanos records how long each publish took
     * @param open opens the backplane, telling it to report to this
     */
    ClusterSync(Map<String, Group> groups, LongAdder totalDropped, int keep, long timeoutMillis, long checkMillis,
            long readAllMillis, ScheduledExecutorService timer, ThreadFactory threads, Runnable delivered,
            LongConsumer publishNanos, Function<Backplane.Receiver, Backplane> open) {
        this.groups = groups;
        this.totalDropped = totalDropped;
        this.keep = keep;
        this.timeoutMillis = timeoutMillis;
        this.timer = timer;
        this.lanes = new ExecutorService[] {lane(threads), lane(threads)};
        this.completions = Executors.newCachedThreadPool(threads);
        this.delivered = delivered;
        this.publishNanos = publishNanos;
        // On the timer's thread: Lettuce waits for threads of its own to start, and Liberty starts the managed threads
        // of an application only once it has started, which this constructor, run at startup, would keep it from.
        timer.execute(() -> open(open, checkMillis, readAllMillis));
    }

    private void open(Function<Backplane.Receiver, Backplane> open, long checkMillis, long readAllMillis) {
        try {
            backplane = open.apply(this);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, e, () -> "Switchboard: cannot set up the connection to Redis; trying again in "
                    + checkMillis + " ms");
            timer.schedule(() -> open(open, checkMillis, readAllMillis), checkMillis, TimeUnit.MILLISECONDS);
            return;
        }
        timer.scheduleWithFixedDelay(this::check, 0, checkMillis, TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(this::readAllLogged, readAllMillis, readAllMillis, TimeUnit.MILLISECONDS);
    }

    /** Most messages waiting for a lane; past it they are dropped here and read from Redis (gap, or next check). */
    static final int LANE_QUEUE = 10_000;

    private static ExecutorService lane(ThreadFactory threads) {
        return new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(LANE_QUEUE), threads);
    }

    private Executor laneOf(String group) {
        return lanes[Math.floorMod(group.hashCode(), lanes.length)];
    }

    Backplane backplane() {
        return backplane;
    }

    /** @return the threads that complete callers' stages: never Lettuce's */
    Executor completions() {
        return completions;
    }

    /**
     * Makes {@code g} ready to take members: the thread that created it subscribes and reads where the group stands;
     * any other waits for that. Returns at once for a group that is ready.
     *
     * @throws ClusterUnavailableException if the backplane could not be reached; the group is then dropped
     */
    void attach(Group g, boolean created) {
        if (!created) {
            try {
                g.attachment.get(4 * timeoutMillis, TimeUnit.MILLISECONDS); // the creator's subscribe, then read
                return; // ready, or dropped (the caller sees it is not live and starts over)
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ClusterUnavailableException(g.name, "Joining", e);
            } catch (ExecutionException | TimeoutException e) {
                throw new ClusterUnavailableException(g.name, "Joining", e);
            }
        }
        Backplane.Snapshot at;
        try {
            at = backplane.attach(g.name, g.policy.keepsHistory() ? g.policy.historyMessages() : 0);
        } catch (RuntimeException e) {
            g.attachment.completeExceptionally(e); // before drop(), which would complete it normally
            synchronized (g) {
                g.drop();
            }
            groups.remove(g.name, g);
            throw new ClusterUnavailableException(g.name, "Joining", e);
        }
        Delivery delivery = new Delivery(g, totalDropped);
        boolean more;
        synchronized (g) {
            more = g.attach(at, delivery);
        }
        delivery.finish();
        g.attachment.complete(null);
        if (more) {
            read(g);
        }
    }

    /**
     * Before a resume from {@code from}: if this server is behind it in the same epoch (pub/sub is a little late here,
     * or a gap waits for a read), reads from the backplane until it is level, within the timeout. Otherwise the
     * resume would look like one from the future, and get a reset and the whole history.
     */
    void catchUp(Group g, Position from) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (System.nanoTime() < deadline) {
            Backplane.Seen seen;
            synchronized (g) {
                if (!g.live() || g.epoch().equals(from.epoch()) && g.lastOffset() >= from.offset()) {
                    return;
                }
                seen = new Backplane.Seen(g.epoch(), g.lastOffset());
            }
            Backplane.Snapshot at;
            try {
                at = backplane.read(g.name, seen, READ_BATCH).toCompletableFuture()
                        .get(timeoutMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | TimeoutException e) {
                return; // the resume gets a reset: nothing is lost, only replayed
            }
            boolean more = apply(g, seen, at); // whatever Redis says, this server learns it
            if (more) {
                read(g); // apply() set the group's reading flag: that read clears it
            }
            if (!at.epoch().equals(from.epoch()) || at.top() < from.offset()) {
                return; // an epoch or a position Redis does not have: the resume gets its reset
            }
        }
    }

    // Delivers what a read found; the group's reading flag is cleared whatever happens.
    private boolean apply(Group g, Backplane.Seen seen, Backplane.Snapshot at) {
        Delivery delivery = new Delivery(g, totalDropped);
        boolean more = false;
        try {
            synchronized (g) {
                more = g.read(seen, at, delivery);
            }
        } finally {
            delivery.finish();
            if (delivery.delivered > 0) {
                gapFills.increment();
                delivered.run();
            }
            resets.add(delivery.resets);
        }
        return more;
    }

    /** The group has no member left on this server: it stops listening. */
    void detach(Group g) {
        if (g.attachment.isDone() && !g.attachment.isCompletedExceptionally()) {
            backplane.detach(g.name);
        }
    }

    /**
     * Publishes {@code json} to the group on every server.
     *
     * @return completes once this server's members have it (as on one server; members on other servers are not in
     *     the report), or exceptionally with {@link ClusterUnavailableException} if the backplane did not take it
     */
    CompletionStage<SendReport> publish(String name, GroupPolicy policy, String json, Member except) {
        String id = node + "-" + Long.toString(sequence.incrementAndGet(), 36);
        Group g = groups.get(name);
        Group.Pending pending = null;
        Backplane.Seen seen = Backplane.Seen.NOTHING;
        if (g != null) {
            synchronized (g) {
                pending = g.expect(id, except);
                if (pending != null) {
                    seen = new Backplane.Seen(g.epoch(), g.lastOffset());
                }
            }
        }
        Group.Pending waiting = pending;
        long start = System.nanoTime();
        int kept = policy.keepsHistory() ? Math.max(policy.historyMessages(), keep) : keep;
        return backplane.publish(name, json, id, seen, kept).handleAsync((published, failure) -> {
            publishNanos.accept(System.nanoTime() - start);
            if (failure != null) {
                publishFailures.increment();
                if (waiting != null) {
                    synchronized (g) {
                        g.forget(id);
                    }
                }
                throw new CompletionException(new ClusterUnavailableException(name, "Sending", failure));
            }
            if (waiting == null) {
                return CompletableFuture.completedFuture(new SendReport(name, published.offset(), 0, List.of()));
            }
            // Usually the message has arrived by now; if not (pub/sub is slower, or deaf), deliver it from here.
            Delivery delivery = new Delivery(g, totalDropped);
            boolean more;
            synchronized (g) {
                more = g.published(new Backplane.Entry(published.offset(), json, id), published.epoch(), delivery);
            }
            delivery.finish();
            if (more) {
                read(g);
            }
            return waiting.report;
        }, laneOf(name)).thenCompose(report -> report).whenCompleteAsync((report, failure) -> { }, completions);
    }

    @Override
    public void received(String name, Backplane.Entry entry, String epoch) {
        try {
            laneOf(name).execute(() -> arrived(name, entry, epoch));
        } catch (RejectedExecutionException e) {
            laneFull.increment(); // the gap it leaves is read from the stream: at the next arrival, or check
        }
    }

    private void arrived(String name, Backplane.Entry entry, String epoch) {
        Group g = groups.get(name);
        if (g == null) {
            return; // no member here any more
        }
        Delivery delivery = new Delivery(g, totalDropped);
        boolean more;
        synchronized (g) {
            more = g.arrive(entry, epoch, delivery);
        }
        delivery.finish();
        delivered.run();
        if (more) {
            read(g);
        }
    }

    @Override
    public void reconnected() {
        timer.execute(this::readAll);
    }

    private void check() {
        try {
            backplane.check();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, e, () -> "Switchboard: the cluster check failed");
        }
    }

    private void readAllLogged() {
        try {
            readAll();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, e, () -> "Switchboard: catching up the groups from Redis failed");
        }
    }

    // Every group here, from where it stands: fills what pub/sub did not bring, and sees a new epoch.
    private void readAll() {
        for (Group g : groups.values()) {
            boolean due;
            synchronized (g) {
                due = g.attached() && g.readDue();
            }
            if (due) {
                read(g);
            }
        }
    }

    // Called once the group's readDue() said so; reads on until it is level with the backplane.
    private void read(Group g) {
        Backplane.Seen seen;
        synchronized (g) {
            seen = new Backplane.Seen(g.epoch(), g.lastOffset());
        }
        backplane.read(g.name, seen, READ_BATCH).whenComplete((at, failure) -> {
            try {
                laneOf(g.name).execute(() -> readDone(g, seen, at, failure));
            } catch (RejectedExecutionException e) {
                laneFull.increment();
                synchronized (g) {
                    g.readFailed(); // the next check reads again
                }
            }
        });
    }

    private void readDone(Group g, Backplane.Seen seen, Backplane.Snapshot at, Throwable failure) {
        boolean more;
        try {
            if (failure != null) {
                synchronized (g) {
                    g.readFailed(); // the next check or arrival reads again
                }
                return;
            }
            more = apply(g, seen, at);
        } catch (RuntimeException e) {
            synchronized (g) {
                g.readFailed();
            }
            LOG.log(Level.WARNING, e, () -> "Switchboard: delivering what was read for group " + g.name + " failed");
            return;
        }
        if (more) {
            read(g);
        }
    }

    void close() {
        timer.shutdownNow();
        backplane.close();
        for (ExecutorService lane : lanes) {
            lane.shutdownNow();
        }
        for (Group g : groups.values()) {
            synchronized (g) {
                g.abandonPending(); // no lane will deliver them any more: their callers are not left waiting
            }
        }
        completions.shutdown(); // what is under way completes its callers
    }

    /** The backplane until it is opened: everything fails at once, nothing is ready. */
    private static final class Starting implements Backplane {
        private static final String WHY = "the connection to Redis is being set up";

        private static <T> CompletionStage<T> notYet() {
            return CompletableFuture.failedFuture(new IllegalStateException(WHY));
        }

        @Override
        public Snapshot attach(String group, int tail) {
            throw new IllegalStateException(WHY);
        }

        @Override
        public void detach(String group) {
        }

        @Override
        public CompletionStage<Published> publish(String group, String payload, String id, Seen seen, int keep) {
            return notYet();
        }

        @Override
        public CompletionStage<Snapshot> read(String group, Seen seen, int max) {
            return notYet();
        }

        @Override
        public CompletionStage<Void> present(String group, String incarnation, String member, String entry) {
            return notYet();
        }

        @Override
        public CompletionStage<Void> absent(String group, String incarnation, String member) {
            return notYet();
        }

        @Override
        public CompletionStage<List<String>> presence(String group) {
            return notYet();
        }

        @Override
        public CompletionStage<Void> resync(String group, String incarnation, Map<String, String> entries) {
            return notYet();
        }

        @Override
        public CompletionStage<Heartbeat> heartbeat(String incarnation, long ttlMillis) {
            return notYet();
        }

        @Override
        public CompletionStage<List<String>> claim(String self, long tombstoneMillis) {
            return notYet();
        }

        @Override
        public CompletionStage<Void> sweep(String incarnation, java.util.function.Consumer<List<Gone>> removed) {
            return notYet();
        }

        @Override
        public CompletionStage<Void> leave(String incarnation) {
            return notYet();
        }

        @Override
        public void check() {
        }

        @Override
        public boolean ready() {
            return false;
        }

        @Override
        public long connects() {
            return 0;
        }

        @Override
        public long probeTimeouts() {
            return 0;
        }

        @Override
        public String status() {
            return WHY;
        }

        @Override
        public void close() {
        }
    }
}
