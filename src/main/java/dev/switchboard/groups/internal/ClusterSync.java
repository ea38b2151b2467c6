package dev.switchboard.groups.internal;

import dev.switchboard.groups.internal.backplane.Backplane;
import dev.switchboard.groups.ClusterUnavailableException;
import dev.switchboard.groups.GroupPolicy;
import dev.switchboard.groups.SendReport;
import dev.switchboard.internal.delivery.Member;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
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
    private final Executor work;
    private final Runnable delivered;
    private final LongConsumer publishNanos;
    private final String node = Backplane.newEpoch().substring(0, 10);
    private final AtomicLong sequence = new AtomicLong();
    private volatile Backplane backplane = new Starting();

    final LongAdder publishFailures = new LongAdder();
    final LongAdder gapFills = new LongAdder();
    final LongAdder resets = new LongAdder();

    /**
     * @param keep entries kept in the backplane for a group without history (to fill gaps from)
     * @param checkMillis how often the backplane's connections are checked
     * @param readAllMillis how often every group is read from the backplane, to catch up what pub/sub lost
     * @param timer runs the periodic checks
     * @param work delivers what the backplane brings and completes sends: never Lettuce's own threads, which must
     *     stay free to read Redis' replies (a caller's continuation may wait for one), nor the timer
     * @param delivered runs after messages were delivered here (the registry trims the histories if they are over)
     * @param publishNanos records how long each publish took
     * @param open opens the backplane, telling it to report to this
     */
    ClusterSync(Map<String, Group> groups, LongAdder totalDropped, int keep, long timeoutMillis, long checkMillis,
            long readAllMillis, ScheduledExecutorService timer, Executor work, Runnable delivered, LongConsumer publishNanos,
            Function<Backplane.Receiver, Backplane> open) {
        this.groups = groups;
        this.totalDropped = totalDropped;
        this.keep = keep;
        this.timeoutMillis = timeoutMillis;
        this.timer = timer;
        this.work = work;
        this.delivered = delivered;
        this.publishNanos = publishNanos;
        // On the timer's thread: Lettuce waits for threads of its own to start, and Liberty starts the managed threads
        // of an application only once it has started, which this constructor, run at startup, would keep it from.
        timer.execute(() -> {
            backplane = open.apply(this);
            timer.scheduleWithFixedDelay(this::check, 0, checkMillis, TimeUnit.MILLISECONDS);
            timer.scheduleWithFixedDelay(this::readAllLogged, readAllMillis, readAllMillis, TimeUnit.MILLISECONDS);
        });
    }

    Backplane backplane() {
        return backplane;
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
            synchronized (g) {
                g.drop();
            }
            groups.remove(g.name, g);
            g.attachment.completeExceptionally(e);
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
    void catchUp(Group g, dev.switchboard.groups.Position from) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (System.nanoTime() < deadline) {
            Backplane.Seen seen;
            synchronized (g) {
                if (!g.live() || !g.epoch().equals(from.epoch()) || g.lastOffset() >= from.offset()) {
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
            if (at.top() < from.offset() && at.epoch().equals(from.epoch())) {
                return; // a position Redis never gave: the resume gets its reset
            }
            apply(g, at);
        }
    }

    // Delivers what a read found; the group's reading flag is cleared whatever happens.
    private boolean apply(Group g, Backplane.Snapshot at) {
        Delivery delivery = new Delivery(g, totalDropped);
        boolean more = false;
        try {
            synchronized (g) {
                more = g.read(at, delivery);
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
        }, work).thenCompose(report -> report);
    }

    @Override
    public void received(String name, Backplane.Entry entry, String epoch) {
        work.execute(() -> {
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
        });
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
        backplane.read(g.name, seen, READ_BATCH).whenCompleteAsync((at, failure) -> {
            boolean more;
            try {
                if (failure != null) {
                    synchronized (g) {
                        g.readFailed(); // the next check or arrival reads again
                    }
                    return;
                }
                more = apply(g, at);
            } catch (RuntimeException e) {
                synchronized (g) {
                    g.readFailed();
                }
                LOG.log(Level.WARNING, e, () -> "Switchboard: delivering what was read for group " + g.name
                        + " failed");
                return;
            }
            if (more) {
                read(g);
            }
        }, work);
    }

    void close() {
        timer.shutdownNow();
        backplane.close();
        if (work instanceof java.util.concurrent.ExecutorService pool) {
            pool.shutdownNow();
        }
    }

    /** The backplane until it is opened: everything fails at once, nothing is ready. */
    private static final class Starting implements Backplane {
        private static final String WHY = "the connection to Redis is being set up";

        @Override
        public Snapshot attach(String group, int tail) {
            throw new IllegalStateException(WHY);
        }

        @Override
        public void detach(String group) {
        }

        @Override
        public CompletionStage<Published> publish(String group, String payload, String id, Seen seen, int keep) {
            return CompletableFuture.failedFuture(new IllegalStateException(WHY));
        }

        @Override
        public CompletionStage<Snapshot> read(String group, Seen seen, int max) {
            return CompletableFuture.failedFuture(new IllegalStateException(WHY));
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
