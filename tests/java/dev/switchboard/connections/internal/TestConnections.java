package dev.switchboard.connections.internal;

import dev.switchboard.internal.delivery.Member;
import dev.switchboard.internal.delivery.OutboxLimits;
import dev.switchboard.internal.delivery.JsonCodec;
import dev.switchboard.connections.Overflow;
import dev.switchboard.events.Events;
import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.List;
import java.security.Principal;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The module's real connections, outboxes and senders, outside Liberty, for tests of the registries' logic under real
 * thread contention. Only the container is stood in for: a {@link Session} whose blocking send appends to a queue
 * (or blocks, for a client that stopped reading) and whose close ends the connection as the container's
 * {@code @OnClose} would.
 */
public final class TestConnections implements AutoCloseable {

    private final ConnectionSettings settings = new ConnectionSettings();
    private final ExecutorService closer = Executors.newCachedThreadPool();
    private final SendPool pool;
    private final Map<String, Wire> wires = new ConcurrentHashMap<>();

    /** A connection's far end: what was written to it, and whether it reads. */
    public static final class Wire {
        public final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        public final AtomicReference<CloseReason> closedWith = new AtomicReference<>();
        final Semaphore reads = new Semaphore(Integer.MAX_VALUE / 2);
        final AtomicBoolean open = new AtomicBoolean(true);

        /** From now on every write blocks until {@link #resume()}: the client stopped reading. */
        public void stall() {
            reads.drainPermits();
        }

        public void resume() {
            reads.release(Integer.MAX_VALUE / 2);
        }

        /** @return the next frame written, or null after {@code seconds} */
        public String next(long seconds) throws InterruptedException {
            return frames.poll(seconds, TimeUnit.SECONDS);
        }
    }

    /**
     * @param maxMessages the outbox bound, in messages
     * @param maxBytes the outbox bound, in bytes
     */
    public TestConnections(int maxMessages, long maxBytes) {
        settings.maxMessages = maxMessages;
        settings.maxBytes = maxBytes;
        settings.overflow = Overflow.CLOSE;
        settings.senders = 2;
        settings.messagesPerSecond = 1_000_000;
        settings.burstSeconds = 5;
        pool = new SendPool(settings.senders, Executors.defaultThreadFactory(), closer);
    }

    ConnectionSettings settings() {
        return settings;
    }

    /** @return the outbox settings, for tests of other packages */
    public OutboxLimits limits() {
        return settings;
    }

    /** Runs the pool's watchdog once, as the registry does every 50 ms. */
    public void watch() {
        pool.watch(System.nanoTime(), TimeUnit.SECONDS.toNanos(60));
    }

    /** @return a new open connection with id {@code id}, writing to {@link #wire(String)} */
    public Member open(String id, Events events) {
        AtomicReference<SessionConnection> self = new AtomicReference<>();
        Session session = session(id, null, (closed, reason) -> self.get().terminate(reason));
        SessionConnection connection = new SessionConnection(session, events, new JsonCodec(), settings, pool, closer,
                closer, (c, reason) -> { });
        self.set(connection);
        return connection;
    }

    /**
     * @param user the authenticated user's name, or null for an anonymous connection
     * @param onClose what the container's {@code @OnClose} would do when the session is closed (once)
     * @return a stand-in for the container's session {@code id}, writing to {@link #wire(String)}
     */
    public Session session(String id, String user, BiConsumer<Session, CloseReason> onClose) {
        Wire wire = new Wire();
        wires.put(id, wire);
        RemoteEndpoint.Basic basic = (RemoteEndpoint.Basic) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {RemoteEndpoint.Basic.class}, (proxy, method, args) -> {
                    if (method.getName().equals("sendText") && args.length == 1) {
                        wire.reads.acquire();
                        wire.reads.release();
                        if (!wire.open.get()) {
                            throw new java.io.IOException("connection " + id + " is closed");
                        }
                        wire.frames.add((String) args[0]);
                        return null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        Map<String, Object> userProperties = new HashMap<>();
        Principal principal = user == null ? null : () -> user;
        Session[] self = new Session[1];
        self[0] = (Session) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Session.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getId" -> id;
                    case "getPathParameters" -> Map.of();
                    case "getRequestParameterMap" -> Map.<String, List<String>>of();
                    case "getUserProperties" -> userProperties;
                    case "getUserPrincipal" -> principal;
                    case "getNegotiatedSubprotocol" -> "";
                    case "isOpen" -> wire.open.get();
                    case "getBasicRemote" -> basic;
                    case "setMaxTextMessageBufferSize" -> null;
                    case "close" -> {
                        CloseReason reason = args == null || args.length == 0
                                ? new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, "") : (CloseReason) args[0];
                        if (wire.open.getAndSet(false)) {
                            wire.closedWith.set(reason);
                            onClose.accept(self[0], reason);
                        }
                        yield null;
                    }
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "TestSession[" + id + "]";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return self[0];
    }

    /** @return the far end of connection {@code id} */
    public Wire wire(String id) {
        return wires.get(id);
    }

    @Override
    public void close() {
        wires.values().forEach(Wire::resume);
        pool.shutdown();
        closer.shutdownNow();
    }
}
