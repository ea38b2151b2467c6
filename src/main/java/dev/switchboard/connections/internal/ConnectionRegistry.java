package dev.switchboard.connections.internal;

import dev.switchboard.connections.Connection;
import dev.switchboard.connections.ConnectionClosed;
import dev.switchboard.connections.ConnectionError;
import dev.switchboard.connections.ConnectionOpened;
import dev.switchboard.connections.Connections;
import dev.switchboard.connections.MessageReceived;
import dev.switchboard.internal.delivery.JsonCodec;
import dev.switchboard.internal.delivery.Senders;
import dev.switchboard.events.Events;
import dev.switchboard.events.Namespace;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The {@link Connections} bean: open connections by id, the handle kept in each session's user properties. */
@ApplicationScoped
public class ConnectionRegistry implements Connections, Senders {

    private static final Logger LOG = Logger.getLogger(ConnectionRegistry.class.getName());
    private static final String KEY = SessionConnection.class.getName();
    /** How often the senders are watched: often enough that a stalled write is covered within a tenth of a second. */
    private static final long WATCH_MS = 50;
    /** Threads that write close frames at shutdown. */
    private static final int CLOSERS = 16;
    /** Most closes under way at once, each on a thread of its own. */
    private static final int MAX_CLOSERS = 512;

    @Inject
    Events events;

    @Inject
    JsonCodec codec;

    @Inject
    ConnectionSettings settings;

    // Ends connections and runs timeouts: short tasks with the application's context.
    @Resource
    ManagedExecutorService managedExecutor;

    @Resource
    ManagedScheduledExecutorService managedScheduler;

    @Resource
    ManagedThreadFactory managedThreads;

    // The container's, or plain ones in unit tests.
    private Executor executor;
    private ThreadFactory threads;

    private final Map<String, SessionConnection> open = new ConcurrentHashMap<>();
    private final PrincipalCounts perPrincipal = new PrincipalCounts();
    private SendPool senders;
    private ThreadPoolExecutor closers;
    private ScheduledFuture<?> watchdog;
    private InboundGuard guard;
    private final AtomicBoolean stopping = new AtomicBoolean();

    @PostConstruct
    void start() {
        start(managedExecutor, managedScheduler, managedThreads);
    }

    /** Starts the senders and their watchdog: stalled writes get a sender added, stuck ones end at the timeout. */
    void start(Executor executor, ScheduledExecutorService scheduler, ThreadFactory threads) {
        this.executor = executor;
        this.threads = threads;
        guard = new InboundGuard(settings);
        // Closing a connection whose client stopped reading blocks in Liberty for seconds (it waits for the write in
        // progress, then for the close frame): each close gets a thread of its own, so one stuck close never delays
        // another connection's leaving its groups. Bounded by the stalled writes, which the send timeout ends.
        closers = new ThreadPoolExecutor(MAX_CLOSERS, MAX_CLOSERS, 2, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                threads);
        closers.allowCoreThreadTimeOut(true); // threads only while closes are under way; past the cap they queue
        senders = new SendPool(settings.senders(), threads, executor);
        long period = Math.min(WATCH_MS, Math.max(1, settings.sendTimeoutMs() / 4));
        watchdog = scheduler.scheduleAtFixedRate(this::watchSenders, period, period, TimeUnit.MILLISECONDS);
    }

    private void watchSenders() {
        try {
            long now = System.nanoTime();
            senders.watch(now, TimeUnit.MILLISECONDS.toNanos(settings.sendTimeoutMs()));
            DropLog.flush(now); // counts that no later drop would log
        } catch (RuntimeException e) { // keep the schedule alive: a periodic task that throws is never run again
            LOG.log(Level.WARNING, "Watching the senders failed", e);
        }
    }

    /** @return sender threads alive now (the configured ones plus those added for stalled writes) */
    @Override
    public int senderThreads() {
        return senders.threads();
    }

    /** @return writes stalled over 100 ms when the senders were last watched (each holds a sender) */
    @Override
    public int stalledWrites() {
        return senders.stalled();
    }

    /** @return true if stalled writes hold every sender the pool may have, so nothing else is written */
    @Override
    public boolean sendersExhausted() {
        return senders.exhausted();
    }

    @Override
    public Connection opened(Session session) {
        return opened(session, Namespace.WS);
    }

    @Override
    public Connection opened(Session session, String namespace) {
        // The container refuses larger frames itself (1009) before buffering them whole; received() checks too.
        session.setMaxTextMessageBufferSize(settings.maxFrameBytes());
        SessionConnection connection = new SessionConnection(session, events.namespace(namespace), codec, settings,
                senders, executor, this::close, this::terminated);
        session.getUserProperties().put(KEY, connection);
        String refusal = admit(connection);
        if (refusal != null) { // never listed, never announced
            LOG.warning(() -> "Refused connection " + connection.id() + ": " + refusal);
            connection.close(CloseReason.CloseCodes.VIOLATED_POLICY, refusal);
            connection.terminate(CloseReasons.of(CloseReason.CloseCodes.VIOLATED_POLICY, refusal));
            return connection;
        }
        open.put(connection.id(), connection);
        if (!session.isOpen()) { // closed before it was registered: no close will come for it any more
            connection.terminate(new CloseReason(CloseReason.CloseCodes.CLOSED_ABNORMALLY, "closed while opening"));
        }
        if (!connection.isOpen()) {
            open.remove(connection.id(), connection); // it ended before it was listed: terminated() missed it
        }
        if (!connection.announcing()) {
            return connection; // it has ended: neither its opening nor its close is announced
        }
        connection.events().emit(new ConnectionOpened(connection));
        if (!connection.announced()) { // it ended while observers were told it opened: they hear of the close now
            connection.events().emit(new ConnectionClosed(connection, connection.closed().toCompletableFuture()
                    .getNow(CloseReasons.of(CloseReason.CloseCodes.CLOSED_ABNORMALLY, "closed"))));
        }
        return connection;
    }

    /** @return null if the connection may stay, else why not */
    private String admit(SessionConnection connection) {
        String user = connection.principal().map(p -> p.getName()).orElse(null);
        if (user == null) {
            return null;
        }
        int count = perPrincipal.opened(user);
        connection.whenClosed(() -> perPrincipal.closed(user));
        int limit = settings.maxConnectionsPerPrincipal();
        return count > limit ? "user " + user + " has " + count + " connections open, the limit "
                + ConnectionSettings.MAX_CONNECTIONS_PER_PRINCIPAL + " is " + limit : null;
    }

    @Override
    public Optional<JsonObject> received(Session session, String text) {
        SessionConnection connection = require(session);
        if (!connection.isOpen()) {
            return Optional.empty();
        }
        Optional<JsonObject> admitted = guard.admit(connection, text);
        admitted.ifPresent(message -> connection.events().emit(new MessageReceived(connection, message)));
        return admitted;
    }


    @Override
    public void failed(Session session, Throwable error) {
        SessionConnection connection = (SessionConnection) session.getUserProperties().get(KEY);
        if (connection == null) {
            LOG.log(Level.WARNING, error, () -> "Error on session " + session.getId() + " before it opened: " + error);
            return;
        }
        LOG.log(Level.FINE, error, () -> "Error on connection " + connection.id());
        connection.events().emit(new ConnectionError(connection, error));
        if (!session.isOpen()) {
            closed(session, CloseReasons.of(CloseReason.CloseCodes.CLOSED_ABNORMALLY, String.valueOf(error)));
        }
    }

    @Override
    public void closed(Session session, CloseReason reason) {
        SessionConnection connection = (SessionConnection) session.getUserProperties().get(KEY);
        if (connection != null) {
            connection.terminate(reason);
        }
    }

    /** Called once per connection, by whichever side ended it first: the endpoint's @OnClose or a slow-consumer close. */
    private void terminated(SessionConnection connection, CloseReason reason) {
        open.remove(connection.id(), connection);
        if (connection.closeIsAnnounced()) { // a connection refused at open was never opened to observers
            connection.events().emit(new ConnectionClosed(connection, reason));
        }
    }

    @Override
    public Optional<Connection> find(Session session) {
        SessionConnection connection = (SessionConnection) session.getUserProperties().get(KEY);
        return connection == null || !connection.isOpen() ? Optional.empty() : Optional.of(connection);
    }

    @Override
    public int count() {
        return open.size();
    }

    @Override
    public Set<Connection> list() {
        return Set.copyOf(open.values());
    }

    private SessionConnection require(Session session) {
        SessionConnection connection = (SessionConnection) session.getUserProperties().get(KEY);
        if (connection == null) {
            throw new IllegalStateException("Connections.opened(session) was not called for session "
                    + session.getId() + ": call it from the endpoint's @OnOpen");
        }
        return connection;
    }

    /**
     * Tells every client the application is going away (1001) instead of leaving them to time out: after its outbox
     * has drained, or after {@code switchboard.shutdown.drain-ms} in all, whichever is first. Called by {@link
     * ConnectionsInitializer}'s listener before the container closes the sessions itself, then again (doing nothing)
     * when CDI destroys the bean.
     */
    @PreDestroy
    void shutdown() {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        try {
            drainAndClose(List.copyOf(open.values()));
        } finally {
            stopSenders(); // whatever went wrong, no thread is left behind
        }
    }

    private void drainAndClose(List<SessionConnection> all) {
        if (all.isEmpty()) {
            return;
        }
        LOG.info(() -> "Closing " + all.size() + " connections with 1001: application stopping");
        CompletableFuture<?>[] drains = all.stream()
                .map(c -> c.whenDrained().toCompletableFuture()).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(drains).get(settings.drainMs(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warning(() -> "Outboxes not drained within " + ConnectionSettings.DRAIN_MS + " = " + settings.drainMs()
                    + " ms; closing anyway");
        } catch (ExecutionException e) {
            LOG.log(Level.WARNING, "Waiting for outboxes to drain failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeAll(all);
    }

    // In parallel: Liberty's close of a stalled client waits up to about 11 s for the write and the close frame, and
    // one at a time that would be 11 s per stalled client. Bounded by drain-ms again; Liberty ends whatever is left.
    private void closeAll(List<SessionConnection> all) {
        ExecutorService closers = Executors.newFixedThreadPool(Math.min(all.size(), CLOSERS), threads);
        try {
            for (SessionConnection connection : all) {
                closers.execute(() -> connection.close(CloseReason.CloseCodes.GOING_AWAY, "application stopping"));
            }
            closers.shutdown();
            if (!closers.awaitTermination(Math.max(1, settings.drainMs()), TimeUnit.MILLISECONDS)) {
                LOG.warning(() -> "Not every close frame was written within " + ConnectionSettings.DRAIN_MS + " = "
                        + settings.drainMs() + " ms; the container ends those connections");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Never interrupted: a close interrupted inside Liberty sends no close frame at all, and Liberty then skips
        // the session when it closes the application's sessions itself. Late ones finish on their own.
    }

    // Runs a close on a thread of its own (past MAX_CLOSERS at once, in turn); once stopped, on the caller's thread,
    // which holds no lock.
    private void close(Runnable close) {
        try {
            closers.execute(close);
        } catch (RejectedExecutionException e) {
            close.run();
        }
    }

    private void stopSenders() {
        if (watchdog != null) {
            watchdog.cancel(false);
        }
        if (senders != null) {
            senders.shutdown();
        }
        if (closers != null) {
            closers.shutdown();
        }
    }
}
