package dev.switchboard.groups.internal.backplane;


import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * The backplane on Redis (or Valkey), as Centrifugo's Redis engine does it: per group a hash with the epoch and the
 * top offset, a stream whose entry ids are the offsets, and a pub/sub channel; one Lua script appends and publishes.
 * Keys carry the group in a hash tag ({@code prefix:{group}:...}) so that a group's keys stay on one Redis Cluster
 * slot. Lettuce, on threads from Liberty's managed thread factory, reconnects and resubscribes by itself; its request
 * queue is bounded and commands are refused at once while it is disconnected, so a send fails fast instead of
 * waiting.
 *
 * <p>Redis pub/sub is at-most-once: what is published while the subscriber connection is down is lost without a word.
 * The server catches up from the streams after every reconnect ({@link Receiver#reconnected}); a subscriber connection
 * that is open but deaf is found by a probe (this server publishes to its own probe channel every check interval) and
 * replaced.
 */
public final class RedisBackplane implements Backplane {

    private static final Logger LOG = Logger.getLogger(RedisBackplane.class.getName());
    private static final int RESULT_TTL_SECONDS = 60; // Lettuce replays within seconds of reconnecting
    /** The longest wait between two attempts to reconnect. */
    public static final Duration RECONNECT_CAP = Duration.ofSeconds(1);

    private final RedisURI uri;
    private final String prefix;
    private final long ttlSeconds;
    private final Duration timeout;
    private final long probeMillis;
    // A probe may wait behind a burst of commands, or of messages: a connection is taken for deaf only after three
    // check intervals and twice the command timeout, so that a busy one is not replaced (failing what it carries).
    private final Duration deafAfter;
    private final Receiver receiver;
    private final ClientResources resources;
    private final RedisClient client;
    private final Script publish = Script.load("publish.lua");
    private final Script read = Script.load("read.lua");
    private final Script heartbeat = Script.plain("heartbeat.lua");
    private final Script claim = Script.plain("claim.lua");
    private final Script sweep = Script.plain("sweep.lua");
    private final Script resync = Script.plain("resync.lua");
    private final AtomicLong probeTimeouts = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();

    // Connecting (which blocks up to the timeout) takes connecting; the subscriptions take lock, briefly, so that a join
    // or a leave never waits for a connect. Reads of the connections take neither. Lettuce's threads take none: they run
    // our listeners while a close might wait for them.
    private final Object connecting = new Object();
    private final Object lock = new Object();
    private volatile StatefulRedisConnection<String, String> commands;
    private final Subscriber[] subscribers; // a group's channel is on subscribers[floorMod(hash, n)]
    private final Map<String, Subscription> subscriptions = new HashMap<>(); // guarded by lock
    private volatile String lastFailure = "not connected yet";
    private volatile boolean closed;

    // The probe: a PUBLISH to each subscriber connection's own channel every check interval, answered twice: its reply
    // on the command connection, and the message on that subscriber connection. Each proves that connection works.
    private final AtomicLong probeSent = new AtomicLong(); // nanoTime of the oldest round not heard by all, 0 if none
    private volatile long commandAnswered; // nanoTime the command connection last answered a probe, 0 if never

    /** One subscriber connection, with its probe. */
    private static final class Subscriber {
        final int index;
        final String probeChannel;
        volatile StatefulRedisPubSubConnection<String, String> connection;
        volatile long heard; // nanoTime it last delivered its probe, 0 if never
        // A reconnect's catch-up may run before Lettuce has resubscribed: a probe heard proves the resubscribe, and
        // what was published up to then is read once more.
        volatile boolean catchUpWhenHeard;

        Subscriber(int index, String probeChannel) {
            this.index = index;
            this.probeChannel = probeChannel;
        }
    }

    /** Channel subscriptions by name, counted: a group's old and new instance may overlap. */
    private static final class Subscription {
        int count;
        CompletableFuture<Void> done;
    }

    /** @throws IllegalArgumentException if Lettuce does not take {@code uri} */
    public static void checkUri(String uri) {
        RedisURI.create(uri);
    }

    /** See the constructor: the backplane, as its interface (this class is loaded only when it is used). */
    public static Backplane open(String uri, String prefix, long ttlSeconds, Duration timeout, long probeMillis,
            int queue, ThreadFactory threads, Receiver receiver) {
        return open(uri, prefix, ttlSeconds, timeout, probeMillis, queue, 1, threads, receiver);
    }

    /** See the constructor; {@code pubsub} subscriber connections. */
    public static Backplane open(String uri, String prefix, long ttlSeconds, Duration timeout, long probeMillis,
            int queue, int pubsub, ThreadFactory threads, Receiver receiver) {
        return new RedisBackplane(uri, prefix, ttlSeconds, timeout, probeMillis, queue, pubsub, threads, receiver);
    }

    /**
     * Creates the client; {@link #check()} connects it (now, and again whenever it is not connected).
     *
     * @param uri {@code redis://host:port} (or {@code rediss://}, with a password or a database if needed)
     * @param prefix the prefix of every key and channel
     * @param ttlSeconds how long a group's stream and epoch live after its last message
     * @param timeout how long a command may take; also how long a join waits for its subscription
     * @param probeMillis how often the subscriber connection is probed
     * @param queue the most commands queued to Redis at once; more are refused
     * @param pubsub how many subscriber connections share the groups' channels (each group always on the same one)
     * @param threads where Lettuce's threads come from
     * @param receiver what this server does with what it hears
     */
    private RedisBackplane(String uri, String prefix, long ttlSeconds, Duration timeout, long probeMillis, int queue,
            int pubsub, ThreadFactory threads, Receiver receiver) {
        this.uri = RedisURI.create(uri);
        this.uri.setTimeout(timeout);
        this.prefix = prefix;
        if (pubsub < 1 || pubsub > 16) {
            throw new IllegalArgumentException("pub/sub connections must be 1 to 16, got " + pubsub);
        }
        String probes = prefix + ":probe:" + Long.toHexString(Double.doubleToLongBits(Math.random())) + ":";
        this.subscribers = new Subscriber[pubsub];
        for (int i = 0; i < pubsub; i++) {
            subscribers[i] = new Subscriber(i, probes + i);
        }
        this.ttlSeconds = ttlSeconds;
        this.timeout = timeout;
        this.probeMillis = probeMillis;
        this.deafAfter = Duration.ofMillis(Math.max(3 * probeMillis, 2 * timeout.toMillis()));
        this.receiver = receiver;
        // Reconnect attempts at most a second apart (Lettuce's default grows to 30 s): every server is back within a
        // second of Redis, well inside a presence TTL, so that none is taken for dead after an outage.
        this.resources = DefaultClientResources.builder().threadFactoryProvider(pool -> threads)
                .ioThreadPoolSize(Math.max(2, pubsub)).computationThreadPoolSize(2)
                .reconnectDelay(() -> Delay.equalJitter(Duration.ofMillis(50), RECONNECT_CAP, 2, TimeUnit.MILLISECONDS))
                .build();
        this.client = RedisClient.create(resources, this.uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .requestQueueSize(queue)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .socketOptions(SocketOptions.builder().connectTimeout(timeout).build())
                .build());
        client.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
                reconnects.incrementAndGet();
                receiver.reconnected();
                for (Subscriber s : subscribers) {
                    s.catchUpWhenHeard = true; // and again once its probe proves its subscriptions are back
                }
            }

            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                lastFailure("the connection to " + where() + " was lost");
                for (Subscriber s : subscribers) {
                    s.heard = 0; // not ready until every connection has answered a probe again
                }
                commandAnswered = 0;
            }
        });
    }

    /**
     * Connects what is not connected, and probes both connections, replacing one that did not answer its probe in time
     * ({@link #deafAfter}): a connection can stay open and deliver nothing (a half-open TCP connection, a stuck proxy).
     */
    @Override
    public void check() {
        if (!connect()) {
            return;
        }
        long now = System.nanoTime();
        long sent = probeSent.get();
        long limit = deafAfter.toNanos();
        if (sent != 0 && now - sent > limit) {
            probeTimeouts.incrementAndGet();
            probeSent.set(0);
            if (now - commandAnswered > limit) {
                // No probe went out: the subscribers are judged at the next round, not replaced for its silence.
                replace("the command connection did not answer its probe within " + deafAfter.toMillis() + " ms", null);
                return;
            }
            for (Subscriber s : subscribers) {
                if (now - s.heard > limit) {
                    replace("subscriber connection " + s.index + " did not deliver its probe within "
                            + deafAfter.toMillis() + " ms", s);
                }
            }
            return;
        }
        StatefulRedisConnection<String, String> c = commandsOrNull();
        if (c != null) {
            probeSent.compareAndSet(0, now);
            for (Subscriber s : subscribers) {
                c.async().publish(s.probeChannel, Long.toString(now))
                        .thenRun(() -> commandAnswered = System.nanoTime());
            }
        }
    }

    /** @param subscriber the subscriber connection to replace; null for the command connection */
    private void replace(String why, Subscriber subscriber) {
        lastFailure(why + ": replacing it");
        LOG.warning(() -> "Switchboard: " + why + "; replacing it");
        synchronized (connecting) {
            if (subscriber == null && commands != null) {
                commands.closeAsync();
                commands = null;
            } else if (subscriber != null && subscriber.connection != null) {
                subscriber.connection.closeAsync();
                subscriber.connection = null;
            }
        }
        if (connect() && subscriber != null) {
            receiver.reconnected(); // what was published while it was deaf is in the streams
        }
    }

    /** @return false if the command connection could not be made (then nothing is probed) */
    private boolean connect() {
        synchronized (connecting) {
            if (closed) {
                return false;
            }
            try {
                if (commands == null) {
                    StatefulRedisConnection<String, String> c = client.connect();
                    commands = c;
                    LOG.info(() -> "Switchboard: connected to Redis at " + where() + "; " + persistence(c));
                }
            } catch (RuntimeException e) {
                lastFailure("cannot connect to " + where() + ": " + e.getMessage());
                return false;
            }
            for (Subscriber s : subscribers) { // each on its own: one that cannot connect leaves the others probed
                if (s.connection == null) {
                    try {
                        newSubscriber(s);
                    } catch (RuntimeException e) {
                        lastFailure("cannot connect subscriber connection " + s.index + " to " + where() + ": "
                                + e.getMessage());
                    }
                }
            }
            return true;
        }
    }

    // Connects (blocking, outside the lock), then takes the channels and publishes the connection in one step under the
    // lock: an attach or detach after it goes to the new connection, behind the SUBSCRIBE of what it had.
    private void newSubscriber(Subscriber subscriber) {
        StatefulRedisPubSubConnection<String, String> s = client.connectPubSub();
        s.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                heard(subscriber, channel, message);
            }
        });
        synchronized (lock) {
            List<String> channels = new ArrayList<>();
            for (String channel : subscriptions.keySet()) {
                if (subscriberOf(channel) == subscriber) {
                    channels.add(channel);
                }
            }
            channels.add(subscriber.probeChannel);
            s.async().subscribe(channels.toArray(String[]::new));
            subscriber.connection = s;
        }
    }

    private void heard(Subscriber subscriber, String channel, String message) {
        if (channel.equals(subscriber.probeChannel)) {
            long now = System.nanoTime();
            subscriber.heard = now;
            long sent = probeSent.get();
            boolean all = sent != 0;
            for (Subscriber s : subscribers) {
                all &= s.heard != 0 && s.heard - sent >= 0;
            }
            if (all) {
                probeSent.compareAndSet(sent, 0); // the round is answered by every subscriber connection
            }
            if (subscriber.catchUpWhenHeard) {
                subscriber.catchUpWhenHeard = false;
                receiver.reconnected();
            }
            return;
        }
        String group = groupOf(channel);
        // offset:epoch:id:payload
        int a = message.indexOf(':');
        int b = message.indexOf(':', a + 1);
        int c = message.indexOf(':', b + 1);
        if (group == null || a < 1 || b < 0 || c < 0) {
            LOG.warning(() -> "Switchboard: ignored a message on " + channel + " that is not one of ours");
            return;
        }
        try {
            receiver.received(group, new Entry(Long.parseLong(message.substring(0, a)), message.substring(c + 1),
                    message.substring(b + 1, c)), message.substring(a + 1, b));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, e, () -> "Switchboard: delivering a message of group " + group + " failed");
        }
    }

    @Override
    public Snapshot attach(String group, int tail) {
        CompletableFuture<Void> subscribed;
        synchronized (lock) {
            Subscription s = subscriptions.computeIfAbsent(channel(group), k -> new Subscription());
            if (s.count == 0 || s.done.isCompletedExceptionally()) {
                StatefulRedisPubSubConnection<String, String> sub = subscriberOf(channel(group)).connection;
                try {
                    s.done = sub == null ? CompletableFuture.failedFuture(new IllegalStateException(lastFailure))
                            : sub.async().subscribe(channel(group)).toCompletableFuture().thenApply(v -> null);
                } catch (RuntimeException e) {
                    s.done = CompletableFuture.failedFuture(e);
                }
            }
            s.count++;
            subscribed = s.done;
        }
        try {
            subscribed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return read(group, -1, Seen.NOTHING, tail).toCompletableFuture()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            detach(group);
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            detach(group);
            throw new IllegalStateException(e instanceof TimeoutException ? "no answer within " + timeout.toMillis()
                    + " ms" : String.valueOf(rootOf(e).getMessage()), e);
        }
    }

    @Override
    public void detach(String group) {
        synchronized (lock) {
            Subscription s = subscriptions.get(channel(group));
            if (s != null && --s.count == 0) {
                subscriptions.remove(channel(group));
                StatefulRedisPubSubConnection<String, String> sub = subscriberOf(channel(group)).connection;
                if (sub != null) {
                    sub.async().unsubscribe(channel(group));
                }
            }
        }
    }

    @Override
    public CompletionStage<Published> publish(String group, String payload, String id, Seen seen, int keep) {
        return eval(publish, new String[] {meta(group), stream(group), prefix + ":{" + group + "}:result:" + id},
                payload, id, Integer.toString(keep), Long.toString(ttlSeconds), Backplane.newEpoch(), seen.epoch(),
                Long.toString(seen.offset()), channel(group), Integer.toString(RESULT_TTL_SECONDS))
                .thenApply(r -> new Published((String) r.get(0), (Long) r.get(1)));
    }

    @Override
    public CompletionStage<Snapshot> read(String group, Seen seen, int max) {
        return read(group, seen.offset(), seen, max);
    }

    private CompletionStage<Snapshot> read(String group, long after, Seen seen, int max) {
        return eval(read, new String[] {meta(group), stream(group)}, Long.toString(after), Integer.toString(max),
                Long.toString(ttlSeconds), Backplane.newEpoch(), seen.epoch(), Long.toString(seen.offset()))
                .thenApply(RedisBackplane::snapshot);
    }

    @SuppressWarnings("unchecked")
    private static Snapshot snapshot(List<Object> reply) {
        List<Entry> entries = new ArrayList<>();
        for (Object e : (List<Object>) reply.get(2)) {
            List<Object> entry = (List<Object>) e;
            String id = (String) entry.get(0);
            List<Object> fields = (List<Object>) entry.get(1);
            String payload = null;
            String publishId = null;
            for (int i = 0; i + 1 < fields.size(); i += 2) {
                if ("d".equals(fields.get(i))) {
                    payload = (String) fields.get(i + 1);
                } else if ("i".equals(fields.get(i))) {
                    publishId = (String) fields.get(i + 1);
                }
            }
            entries.add(new Entry(Long.parseLong(id.substring(0, id.indexOf('-'))), payload, publishId));
        }
        if ((Long) reply.get(3) == 1) {
            Collections.reverse(entries); // read newest first
        }
        return new Snapshot((String) reply.get(0), (Long) reply.get(1), List.copyOf(entries));
    }

    // Every script is sent with EVAL, never EVALSHA: after NOSCRIPT (a fresh, restarted or failed-over Redis) a command
    // sent again runs behind those issued after it once any server's EVAL has cached the script again, and a publish
    // would take a later offset than the ones behind it (RedisBackplaneTest.publishesTakeOffsetsInTheOrderTheyWere-
    // IssuedAlsoWhileRedisLosesItsScripts), a read could start a new epoch after them, a heartbeat could come back
    // after a leave. Redis hashes the text to find the compiled script: the cost is the bytes sent.
    private CompletionStage<List<Object>> eval(Script script, String[] keys, String... args) {
        return command(c -> c.async().<List<Object>>eval(script.text, ScriptOutputType.MULTI, keys, args));
    }

    // Presence: per group a hash of entries, field "<incarnation>/<member>"; per incarnation an index of its members
    // ("<group>/<member>") to sweep it by when it dies, and an alive key its heartbeat keeps. The servers' keys share
    // one hash tag, {servers} (the set of live incarnations, those claimed for sweeping, their tombstones): the
    // scripts that read several of them run on one Redis Cluster slot.

    // Both commands are issued in this order on the command connection: the caller's lock orders them with others.
    @Override
    public CompletionStage<Void> present(String group, String incarnation, String member, String entry) {
        return command(c -> both(c.async().hset(presenceKey(group), incarnation + "/" + member, entry),
                c.async().sadd(index(incarnation), group + "/" + member)));
    }

    @Override
    public CompletionStage<Void> absent(String group, String incarnation, String member) {
        return command(c -> both(c.async().hdel(presenceKey(group), incarnation + "/" + member),
                c.async().srem(index(incarnation), group + "/" + member)));
    }

    private static CompletionStage<Void> both(CompletionStage<?> first, CompletionStage<?> second) {
        return CompletableFuture.allOf(first.toCompletableFuture(), second.toCompletableFuture());
    }

    /**
     * Runs {@code call} on the command connection: fails without one, and turns a command Lettuce refuses at once
     * (disconnected, or the request queue full) into a failed stage, so that callers only ever see stages.
     */
    private <T> CompletionStage<T> command(Function<StatefulRedisConnection<String, String>, CompletionStage<T>> call) {
        StatefulRedisConnection<String, String> c = commandsOrNull();
        if (c == null) {
            return CompletableFuture.failedFuture(new IllegalStateException(lastFailure()));
        }
        try {
            return call.apply(c);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletionStage<List<String>> presence(String group) {
        return command(c -> c.async().hvals(presenceKey(group)));
    }

    @Override
    public CompletionStage<Void> resync(String group, String incarnation, Map<String, String> entries) {
        List<String> args = new ArrayList<>();
        args.add(incarnation + "/");
        entries.forEach((member, entry) -> {
            args.add(incarnation + "/" + member);
            args.add(entry);
        });
        return command(c -> {
            // Both on this connection, in this order (as eval() sends every script, with EVAL).
            CompletionStage<List<Object>> synced = c.async().eval(resync.text, ScriptOutputType.MULTI,
                    new String[] {presenceKey(group)}, args.toArray(String[]::new));
            return entries.isEmpty() ? synced.thenApply(r -> null) : both(synced, c.async().sadd(index(incarnation),
                    entries.keySet().stream().map(member -> group + "/" + member).toArray(String[]::new)));
        });
    }

    @Override
    public CompletionStage<Heartbeat> heartbeat(String incarnation, long ttlMillis) {
        return eval(heartbeat, new String[] {servers("alive:" + incarnation), servers("all"),
                index(incarnation), servers("swept:" + incarnation)}, Long.toString(ttlMillis), incarnation)
                .thenApply(r -> Heartbeat.values()[((Long) r.get(0)).intValue()]);
    }

    @Override
    public CompletionStage<List<String>> claim(String self, long tombstoneMillis) {
        return eval(claim, new String[] {servers("all"), servers("claimed")}, servers(""), self,
                Long.toString(tombstoneMillis)).thenApply(r -> r.stream().map(String.class::cast).toList());
    }

    @Override
    public CompletionStage<Void> sweep(String incarnation, Consumer<List<Gone>> removed) {
        return command(c -> c.async().smembers(index(incarnation)).thenCompose(items -> {
            Map<String, List<String>> fields = new HashMap<>();
            for (String item : items) {
                int slash = item.indexOf('/');
                fields.computeIfAbsent(item.substring(0, slash), g -> new ArrayList<>())
                        .add(incarnation + "/" + item.substring(slash + 1));
            }
            List<CompletableFuture<?>> groups = new ArrayList<>();
            fields.forEach((group, names) -> groups.add(eval(sweep, new String[] {presenceKey(group)},
                    names.toArray(String[]::new)).thenAccept(r -> removed.accept(r.stream()
                            .map(entry -> new Gone(group, (String) entry)).toList())).toCompletableFuture()));
            return CompletableFuture.allOf(groups.toArray(CompletableFuture[]::new)) // then nothing is left to sweep
                    .thenCompose(v -> c.async().del(index(incarnation)))
                    .thenCompose(v -> c.async().srem(servers("claimed"), incarnation))
                    .thenApply(v -> (Void) null);
        }));
    }

    @Override
    public CompletionStage<Void> leave(String incarnation) {
        return command(c -> both(c.async().del(servers("alive:" + incarnation), index(incarnation)),
                c.async().srem(servers("all"), incarnation)));
    }

    @Override
    public boolean ready() {
        StatefulRedisConnection<String, String> c = commands;
        long now = System.nanoTime();
        long limit = deafAfter.toNanos();
        long answered = commandAnswered;
        if (c == null || !c.isOpen() || answered == 0 || now - answered > limit) {
            return false;
        }
        for (Subscriber sub : subscribers) {
            StatefulRedisPubSubConnection<String, String> s = sub.connection;
            long heard = sub.heard;
            if (s == null || !s.isOpen() || heard == 0 || now - heard > limit) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String status() {
        return ready() ? "connected to " + where() : lastFailure();
    }

    @Override
    public long probeTimeouts() {
        return probeTimeouts.get();
    }

    @Override
    public long connects() {
        return reconnects.get();
    }

    @Override
    public void close() {
        StatefulRedisConnection<String, String> c;
        List<StatefulRedisPubSubConnection<String, String>> subs = new ArrayList<>();
        closed = true;
        synchronized (connecting) {
            c = commands;
            commands = null;
            for (Subscriber sub : subscribers) {
                if (sub.connection != null) {
                    subs.add(sub.connection);
                }
                sub.connection = null;
            }
        }
        subs.forEach(StatefulRedisPubSubConnection::closeAsync);
        if (c != null) {
            c.closeAsync();
        }
        client.shutdown(Duration.ZERO, timeout);
        resources.shutdown(0, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    // Debian's redis.conf snapshots to disk: a Redis killed after a snapshot comes back with older offsets in the
    // same epoch. Safe are no persistence (a restart is a new epoch) and AOF with appendfsync always (nothing lost).
    private String persistence(StatefulRedisConnection<String, String> commands) {
        try {
            Map<String, String> config = commands.sync().configGet("save", "appendonly", "appendfsync");
            boolean snapshots = !config.getOrDefault("save", "").isBlank();
            boolean aof = "yes".equals(config.get("appendonly"));
            boolean always = "always".equals(config.get("appendfsync"));
            if (aof && always || !aof && !snapshots) {
                return "persistence: " + (aof ? "AOF with appendfsync always (nothing acknowledged is lost)"
                        : "none (a restart starts new epochs)");
            }
            String warning = "Redis at " + where() + " persists in a mode that can lose acknowledged messages after a"
                    + " crash (save \"" + config.get("save") + "\", appendonly " + config.get("appendonly")
                    + ", appendfsync " + config.get("appendfsync") + "): set save \"\" and appendonly no, or "
                    + "appendonly yes with appendfsync always. Until then a rollback is detected only once a server "
                    + "notices it (README, \"Running several servers\")";
            LOG.warning(() -> "Switchboard: " + warning);
            return "persistence: UNSAFE";
        } catch (RuntimeException e) {
            return "persistence: unknown (CONFIG GET refused: " + e.getMessage() + ")";
        }
    }

    private StatefulRedisConnection<String, String> commandsOrNull() {
        return commands;
    }

    private void lastFailure(String failure) {
        lastFailure = failure;
    }

    private String lastFailure() {
        return lastFailure;
    }

    private String where() {
        return uri.getHost() + ":" + uri.getPort();
    }

    private String meta(String group) {
        return prefix + ":{" + group + "}:meta";
    }

    private String stream(String group) {
        return prefix + ":{" + group + "}:stream";
    }

    private String presenceKey(String group) {
        return prefix + ":{" + group + "}:presence";
    }

    private String index(String incarnation) {
        return prefix + ":{servers}:members:" + incarnation;
    }

    private String servers(String key) {
        return prefix + ":{servers}:" + key;
    }

    private String channel(String group) {
        return prefix + ":{" + group + "}:ch";
    }

    private Subscriber subscriberOf(String channel) {
        return subscribers[Math.floorMod(channel.hashCode(), subscribers.length)];
    }

    private String groupOf(String channel) {
        int open = channel.indexOf('{');
        int close = channel.lastIndexOf('}');
        return open < 0 || close < open ? null : channel.substring(open + 1, close);
    }

    private static Throwable rootOf(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** A Lua script's text, as sent to Redis. */
    private record Script(String text) {
        /** A script of a group's stream: epoch.lua, which they share, then its own. */
        static Script load(String name) {
            return new Script(resource("epoch.lua") + "\n" + resource(name));
        }

        /** A script on its own. */
        static Script plain(String name) {
            return new Script(resource(name));
        }

        // Without its comment lines and indentation: fewer bytes for each EVAL. A long string or block comment ([[)
        // would lose lines or keep commented ones as code, so a script must not have one.
        private static String resource(String name) {
            try (InputStream in = RedisBackplane.class.getResourceAsStream(name)) {
                if (in == null) {
                    throw new IllegalStateException(name + " is missing from the Switchboard jar");
                }
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                if (text.contains("[[") || text.contains("[=")) {
                    throw new IllegalStateException(name + " has a long string or block comment, which the loader"
                            + " cannot strip safely");
                }
                return text.lines().map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("--"))
                        .collect(java.util.stream.Collectors.joining("\n"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
