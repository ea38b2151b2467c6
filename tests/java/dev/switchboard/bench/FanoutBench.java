package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.it.Deployments;
import dev.switchboard.it.probe.GcTotals;
import io.netty.buffer.ByteBuf;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Switchboard's fan-out ({@code /chat/{room}}, one message per frame and with the {@code switchboard.batch}
 * subprotocol) against what a team writes by hand ({@link BaselineEndpoint}), on the same Liberty, in one run. Prints
 * a table and writes {@code target/bench/results.json} and {@code results.txt}; {@code -Dbench.keep=true} also copies
 * the JSON to {@code bench/results/<commit>.json}. Run with {@code mvn -Pbench verify}; {@code -Dbench.quick=true}
 * runs every scenario briefly, to check the harness.
 *
 * <p>How it measures, the same way for every system:
 * <ul>
 * <li>Every message the publisher sends carries a phase id, a sequence number k and its publish time. A member counts
 *     only messages of the current phase (room-filling sync, warm-up and measure are phases, so nothing from before a
 *     phase is counted in it). Frames of {@code switchboard.batch} are split on '\n': messages are counted, not
 *     frames.</li>
 * <li>Back-pressure by counting completions: each healthy member, on receiving message k, increments slot k of a ring
 *     of cumulative counters; the increment that makes the slot a multiple of the healthy members completes message k,
 *     advances {@code completed}, and unparks the publisher if it is waiting. The publisher sends while fewer than
 *     WINDOW messages are incomplete; when WINDOW are, it parks until at most WINDOW/2 are (with a deadline: a stuck
 *     server ends the phase instead of hanging it). No polling: the generator's work per delivered message is the
 *     same whatever the server.</li>
 * <li>The generator: the members' sockets on one Netty event loop (-Dbench.generatorThreads), the publisher's on one
 *     of its own (see {@link LoadClients}), in this JVM, sharing the two cores with the server. With a loop per core
 *     the baseline, which writes on one thread, measured a quarter lower than under the Node.js cross-check. Each run
 *     records how busy the members' loop was: near 100%, the figure is the generator's limit.</li>
 * <li>Latency: every system is offered the same rate, half and 0.8 of the baseline's median maximum, for
 *     LATENCY_MEASURE. A message's time is when it was due, not when it was sent: a publisher held back by a full
 *     window does not hide the delay (coordinated omission). Each run records the garbage collections of the server
 *     and of the generator inside its window: one collection of the server's can decide a short window's p99.</li>
 * <li>Runs alternate the systems in both orders (ABC, CBA, ABC, ...) with a quiet pause between runs: at least
 *     PAUSE, until the server's side of the previous room's sockets is gone (kernel's view) and the server's CPU is
 *     idle (a room's teardown makes the demo announce every leave to the members left: ~500,000 presence frames for a
 *     room of 1,000). Every run is kept; the table shows medians with min-max.</li>
 * <li>Isolation: 1% of the room never reads after the handshake (receive buffer 4 KB). Before the warm-up each is
 *     filled through a group of its own with its system's normal send path until the kernel accepts no more on the
 *     server's side of its socket (the writer is blocked); the kernel's figures of those sockets are recorded at the
 *     start and end of the measured window, and how many were closed in it.</li>
 * </ul>
 */
@ExtendWith(ArquillianExtension.class)
class FanoutBench {

    private static final boolean QUICK = Boolean.getBoolean("bench.quick");
    private static final Duration WARMUP = QUICK ? Duration.ofMillis(500) : Duration.ofSeconds(2);
    private static final Duration MEASURE = QUICK ? Duration.ofMillis(1500) : Duration.ofSeconds(6);
    /**
     * The measured window of a latency run: at 42 messages/s a 6 s window holds about 250 messages, and its p99 is
     * decided by the slowest 2 or 3 of them (one garbage collection of the server's can decide it); 20 s hold 840.
     */
    private static final Duration LATENCY_MEASURE = QUICK ? Duration.ofMillis(1500) : Duration.ofSeconds(20);
    private static final Duration PAUSE = QUICK ? Duration.ofMillis(500) : Duration.ofSeconds(2);
    /** The longest quiet wait between runs; a run that starts after it says so ({@code quietTimedOut}). */
    private static final Duration QUIET_MAX = Duration.ofSeconds(60);
    /** Server CPU below this share of one core over QUIET_SAMPLE is idle. */
    private static final double QUIET_CPU = 0.05;
    private static final Duration QUIET_SAMPLE = Duration.ofMillis(500);
    private static final int ROUNDS = QUICK ? 2 : 3;
    private static final int BIG_ROOM = QUICK ? 200 : 1000;
    /** Messages the publisher may have that not every healthy member has received yet. */
    static final int WINDOW = 32;
    private static final int RING = 64; // > WINDOW: slot k is reused only once message k - RING is complete
    private static final int STRIDE = 16; // longs between slots: one cache line each, the event loops share them
    /** The isolation fill: messages of this size, this many per step, at most MAX_FILL_STEPS (below 4 MB). */
    private static final int FILL_BYTES = 60_000;
    private static final int FILL_PER_STEP = 4;
    private static final int MAX_FILL_STEPS = 15;
    private static final int PORT = 9080;
    static final String BATCH = dev.switchboard.connections.Connections.BATCH_SUBPROTOCOL;
    private static final String ADMIN = "Basic " + Base64.getEncoder()
            .encodeToString("admin:admin-pw".getBytes(StandardCharsets.UTF_8));
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int CORES = Runtime.getRuntime().availableProcessors();
    /**
     * The members' event loops (-Dbench.generatorThreads). One, as the Node.js generator of the cross-check has one
     * thread: with one per core, the generator's two busy threads took turns with the baseline's one writing thread on
     * both cores, and the loop measured 0.77 of its figure under Node.js (0.99 with one; README, "Checking the
     * baseline against an independent generator").
     */
    private static final int GENERATOR_THREADS = Integer.getInteger("bench.generatorThreads", 1);
    private static final LoadClients CLIENTS = new LoadClients(GENERATOR_THREADS);
    private static final AtomicLong PHASES = new AtomicLong();

    private final List<JsonObject> runs = new ArrayList<>();
    private final List<JsonObject> memory = new ArrayList<>();
    private int rooms;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.app().addClasses(BaselineEndpoint.class); // the probes bring /probe/bare and /api/probe
    }

    /** The systems under test: where a room of each lives, and the subprotocol its members ask for. */
    enum Subject {
        SWITCHBOARD("switchboard", "/chat/", null),
        SWITCHBOARD_BATCHED("switchboard-batched", "/chat/", BATCH),
        BASELINE("baseline", "/baseline/", null);

        final String label;
        final String prefix;
        final String subprotocol;

        Subject(String label, String prefix, String subprotocol) {
            this.label = label;
            this.prefix = prefix;
            this.subprotocol = subprotocol;
        }

        boolean switchboard() {
            return this != BASELINE;
        }
    }

    /** One phase of a room's run: what its members count, and the publisher's window. */
    static final class Phase {
        final long id = PHASES.incrementAndGet();
        final boolean sync;
        final int healthy;
        final AtomicLongArray ring = new AtomicLongArray(RING * STRIDE);
        final AtomicLong completed = new AtomicLong();
        final LongAdder ready = new LongAdder();
        final Recorder latency = new Recorder(3);
        // Per message, when its first and its last healthy member had it: the first is the way in (publisher, the
        // server's read, one write), last minus first the fan-out.
        final Recorder firstMember = new Recorder(3);
        final Recorder lastMember = new Recorder(3);
        volatile Thread waiter;
        volatile long wanted = Long.MAX_VALUE;
        volatile String sample;
        long sent;

        Phase(boolean sync, int healthy) {
            this.sync = sync;
            this.healthy = healthy;
        }

        /** A healthy member received message {@code k} of this phase, published at {@code t} (nanoTime). */
        void arrived(Member m, long k, long t, ByteBuf b, int s, int e) {
            if (sync) {
                if (m.readyIn != id) {
                    m.readyIn = id;
                    ready.increment();
                }
                return;
            }
            long age = Math.max(0, System.nanoTime() - t); // read first: a thread preempted after it counts late
            long c = ring.incrementAndGet((int) (k & (RING - 1)) * STRIDE);
            if ((c - 1) % healthy == 0) {
                firstMember.recordValue(age);
            }
            if (c % healthy == 0) { // every healthy member has message k, so every message before it
                lastMember.recordValue(age);
                long done;
                while ((done = completed.get()) < k && !completed.compareAndSet(done, k)) {
                    // another thread completed a later message meanwhile
                }
                Thread w = waiter;
                if (w != null && k >= wanted) {
                    LockSupport.unpark(w);
                }
            }
            latency.recordValue(age);
            if (sample == null) {
                sample = b.toString(s, Math.min(e - s, 400), StandardCharsets.UTF_8) + (e - s > 400 ? "..." : "");
                m.sampleBytes = e - s;
            }
        }

        /** @return how many copies of this phase's messages healthy members have received */
        long delivered() {
            long sum = 0;
            for (int i = 0; i < RING; i++) {
                sum += ring.get(i * STRIDE);
            }
            return sum;
        }
    }

    /** One member: parses each room message's phase, sequence number and publish time. */
    static final class Member implements LoadClients.Receiver {
        final Room room;
        boolean batched;
        long readyIn;
        long frames; // frames received, read by the main thread between phases
        int sampleBytes;
        private int pos;
        LoadClients.Client socket;

        Member(Room room) {
            this.room = room;
        }

        @Override
        public void opened(String subprotocol) {
            batched = BATCH.equals(subprotocol);
        }

        @Override
        public void frame(ByteBuf text) {
            frames++;
            int s = text.readerIndex();
            int end = text.writerIndex();
            if (!batched) {
                message(text, s, end);
                return;
            }
            while (s < end) { // switchboard.batch: messages separated by one '\n', no trailing one
                int nl = text.indexOf(s, end, (byte) '\n');
                int e = nl < 0 ? end : nl;
                message(text, s, e);
                s = e + 1;
            }
        }

        // {"room":"..","message":{"p":<phase>,"k":<seq>,"t":<nanoTime>,"pad":".."},"from":..}; anything else is not
        // a room message of the benchmark (welcome, presence, history reset) and is not counted.
        private void message(ByteBuf b, int s, int e) {
            if (e - s < 16 || b.getByte(s + 2) != 'r') {
                return;
            }
            int i = b.indexOf(s + 1, e, (byte) '{');
            if (i < 0 || i + 5 >= e || b.getByte(i + 2) != 'p' || b.getByte(i + 4) != ':') {
                return;
            }
            pos = i + 5;
            long p = number(b, e);
            pos += 5; // ,"k":
            long k = number(b, e);
            pos += 5; // ,"t":
            long t = number(b, e);
            Phase phase = room.phase;
            if (p == phase.id) {
                phase.arrived(this, k, t, b, s, e);
            }
        }

        private long number(ByteBuf b, int e) {
            boolean negative = pos < e && b.getByte(pos) == '-';
            if (negative) {
                pos++;
            }
            long v = 0;
            while (pos < e) {
                byte c = b.getByte(pos);
                if (c < '0' || c > '9') {
                    break;
                }
                v = v * 10 + (c - '0');
                pos++;
            }
            return negative ? -v : v;
        }
    }

    /** The kernel's figures of the stalled members' sockets at one moment. */
    record StalledSockets(int open, long minSendQueue, long maxSendQueue, long minReceiveQueue) {
        JsonObject json() {
            return Json.createObjectBuilder().add("open", open).add("serverSendQueueMinBytes", minSendQueue)
                    .add("serverSendQueueMaxBytes", maxSendQueue).add("clientReceiveQueueMinBytes", minReceiveQueue)
                    .build();
        }
    }

    /** A room of members of one system. */
    final class Room implements AutoCloseable {
        final Subject subject;
        final String name;
        final int size;
        final int stalled;
        final int healthy;
        final List<Member> members = new ArrayList<>();
        final List<LoadClients.Client> stalledSockets = new ArrayList<>();
        volatile Phase phase = new Phase(false, 1); // counts nothing until the first phase
        Member publisher;
        long fillBytesPerMember;
        int fillSteps;
        boolean filled;

        Room(Subject subject, int size, int stalled) {
            this.subject = subject;
            this.name = "bench-" + (++rooms);
            this.size = size;
            this.stalled = stalled;
            this.healthy = size - stalled;
        }

        void open() {
            List<CompletableFuture<LoadClients.Client>> opening = new ArrayList<>();
            try {
                for (int i = 0; i < stalled; i++) {
                    // a member of the room and of a group of its own, through which it is filled (fill())
                    String path = subject.switchboard() ? "/probe/member/chat_" + name + "?also=fill-" + name
                            : "/baseline/fill-" + name + "-" + i + "?also=" + name;
                    opening.add(CLIENTS.open(path, false, text -> { }));
                }
                for (int i = 0; i < healthy; i++) {
                    Member member = new Member(this);
                    members.add(member);
                    opening.add(i == healthy - 1 // the publisher (below)
                            ? CLIENTS.openPublisher(subject.prefix + name, subject.subprotocol, member)
                            : CLIENTS.open(subject.prefix + name, true, subject.subprotocol, member));
                    if (opening.size() % 200 == 0) {
                        opening.get(opening.size() - 1).join(); // do not flood the acceptor
                    }
                }
                for (int i = 0; i < opening.size(); i++) {
                    LoadClients.Client c = opening.get(i).join();
                    if (i < stalled) {
                        stalledSockets.add(c);
                    } else {
                        members.get(i - stalled).socket = c;
                    }
                }
            } catch (RuntimeException e) {
                opening.forEach(f -> f.thenAccept(c -> c.abort()));
                throw e;
            }
            publisher = members.get(healthy - 1);
        }

        /** Sends sync messages until every healthy member is in the room (has received one). */
        void sync() {
            Phase sync = new Phase(true, healthy);
            phase = sync;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            for (long k = 1; sync.ready.sum() < healthy; k++) {
                publisher.socket.send(message(sync, k, "", System.nanoTime())).syncUninterruptibly();
                long wait = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(250);
                while (sync.ready.sum() < healthy && System.nanoTime() < wait) {
                    LockSupport.parkNanos(1_000_000);
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("room " + subject.prefix + name + " never filled: "
                            + sync.ready.sum() + " of " + healthy);
                }
            }
        }

        /**
         * Fills each stalled member's socket through its own group with its system's normal send path, a step at a
         * time, until the kernel holds no more on the server's side of every one (the writer is blocked) and more was
         * sent than the socket holds; never past what Switchboard's outbox bound allows.
         */
        void fill() {
            if (stalled == 0) {
                return;
            }
            String pad = "x".repeat(FILL_BYTES);
            long[] last = null;
            for (fillSteps = 1; fillSteps <= MAX_FILL_STEPS; fillSteps++) {
                if (subject.switchboard()) {
                    post("/api/probe/send-async?group=fill-" + name + "&from=0&count=" + FILL_PER_STEP + "&size="
                            + FILL_BYTES);
                } else {
                    for (LoadClients.Client c : stalledSockets) {
                        for (int i = 0; i < FILL_PER_STEP; i++) {
                            c.send("{\"fill\":\"" + pad + "\"}");
                        }
                    }
                }
                fillBytesPerMember += (long) FILL_PER_STEP * FILL_BYTES;
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(150));
                Map<Integer, TcpSockets.Entry> server = TcpSockets.serverSides(TcpSockets.read(), PORT);
                long[] queues = stalledSockets.stream().mapToLong(c -> {
                    TcpSockets.Entry e = server.get(c.localPort());
                    return e == null ? -1 : e.sendQueue();
                }).toArray();
                boolean full = last != null;
                for (int i = 0; full && i < queues.length; i++) {
                    full = queues[i] > 0 && queues[i] == last[i] && fillBytesPerMember > queues[i] + FILL_BYTES;
                }
                if (full) {
                    filled = true;
                    return;
                }
                last = queues;
            }
            fillSteps = MAX_FILL_STEPS;
        }

        StalledSockets stalledSockets() {
            List<TcpSockets.Entry> all = TcpSockets.read();
            Map<Integer, TcpSockets.Entry> server = TcpSockets.serverSides(all, PORT);
            Map<Integer, TcpSockets.Entry> client = TcpSockets.clientSides(all, PORT);
            int open = 0;
            long minSend = Long.MAX_VALUE;
            long maxSend = 0;
            long minReceive = Long.MAX_VALUE;
            for (LoadClients.Client c : stalledSockets) {
                TcpSockets.Entry s = server.get(c.localPort());
                TcpSockets.Entry r = client.get(c.localPort());
                if (s != null && s.state() == TcpSockets.ESTABLISHED) {
                    open++;
                }
                long sendQueue = s == null ? 0 : s.sendQueue();
                minSend = Math.min(minSend, sendQueue);
                maxSend = Math.max(maxSend, sendQueue);
                minReceive = Math.min(minReceive, r == null ? 0 : r.receiveQueue());
            }
            return stalledSockets.isEmpty() ? new StalledSockets(0, 0, 0, 0)
                    : new StalledSockets(open, minSend, maxSend, minReceive);
        }

        long frames() {
            long sum = 0;
            for (Member m : members) {
                sum += m.frames;
            }
            return sum;
        }

        /**
         * Publishes for {@code duration} (paced at {@code rate} messages/s if above 0), keeping fewer than WINDOW
         * messages of {@code p} incomplete.
         */
        void publish(Phase p, Duration duration, String pad, double rate) {
            phase = p;
            Thread self = Thread.currentThread();
            long start = System.nanoTime();
            long end = start + duration.toNanos();
            long interval = rate > 0 ? (long) (1e9 / rate) : 0;
            long now;
            while ((now = System.nanoTime()) < end) {
                long due = 0; // paced: the message's time is when it was due, whatever held the publisher back
                if (interval > 0) {
                    due = start + p.sent * interval;
                    if (due >= end) {
                        break;
                    }
                    while ((now = System.nanoTime()) < due) {
                        LockSupport.parkNanos(due - now);
                    }
                }
                if (p.sent - p.completed.get() >= WINDOW) { // full: wait until at most WINDOW/2 are incomplete
                    long want = p.sent - WINDOW / 2;
                    p.wanted = want;
                    p.waiter = self;
                    while (p.completed.get() < want && (now = System.nanoTime()) < end) {
                        LockSupport.parkNanos(Math.min(end - now, TimeUnit.MILLISECONDS.toNanos(100)));
                    }
                    p.waiter = null;
                    p.wanted = Long.MAX_VALUE;
                    if (p.completed.get() < want) {
                        break; // the end came while the server was stuck
                    }
                }
                publisher.socket.send(message(p, p.sent + 1, pad, interval > 0 ? due : System.nanoTime()))
                        .syncUninterruptibly();
                p.sent++;
            }
        }

        /** Waits until every message of {@code p} is complete, at most {@code max}: the next phase starts empty. */
        boolean drain(Phase p, Duration max) {
            long end = System.nanoTime() + max.toNanos();
            p.wanted = p.sent;
            p.waiter = Thread.currentThread();
            long now;
            while (p.completed.get() < p.sent && (now = System.nanoTime()) < end) {
                LockSupport.parkNanos(Math.min(end - now, TimeUnit.MILLISECONDS.toNanos(100)));
            }
            p.waiter = null;
            return p.completed.get() >= p.sent;
        }

        /** @param t the message's time (nanoTime): when it was sent, or in a paced run when it was due */
        private String message(Phase p, long k, String pad, long t) {
            return "{\"p\":" + p.id + ",\"k\":" + k + ",\"t\":" + t + ",\"pad\":\"" + pad + "\"}";
        }

        /** Aborts every member and waits until their sockets are closed on this side. */
        @Override
        public void close() {
            phase = new Phase(false, 1);
            List<LoadClients.Client> all = new ArrayList<>(stalledSockets);
            members.stream().filter(m -> m.socket != null).forEach(m -> all.add(m.socket));
            all.stream().map(LoadClients.Client::abort).toList().forEach(f -> f.syncUninterruptibly());
        }

        Set<Integer> ports() {
            Set<Integer> ports = new HashSet<>();
            stalledSockets.forEach(c -> ports.add(c.localPort()));
            members.stream().filter(m -> m.socket != null).forEach(m -> ports.add(m.socket.localPort()));
            return ports;
        }
    }

    private static JsonObject get(String path) {
        return call(HttpRequest.newBuilder(URI.create("http://localhost:" + PORT + path)).header("Authorization", ADMIN)
                .build());
    }

    private static JsonObject post(String path) {
        return call(HttpRequest.newBuilder(URI.create("http://localhost:" + PORT + path)).header("Authorization", ADMIN)
                .POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    private static JsonObject call(HttpRequest request) {
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            try (JsonReader reader = Json.createReader(new StringReader(response.body()))) {
                return reader.readObject();
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static long clientCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** @param cpu the server's {@code /api/probe/cpu} */
    private static GcTotals serverGc(JsonObject cpu) {
        return new GcTotals(cpu.getJsonNumber("gcCount").longValue(), cpu.getJsonNumber("gcMillis").longValue());
    }

    private static long serverCpu() {
        return get("/api/probe/cpu").getJsonNumber("cpuNanos").longValue();
    }

    private static long slowClosed() {
        return get("/api/stats").getJsonNumber("slowClosed").longValue();
    }

    /**
     * The pause between runs: at least PAUSE, then until no socket of {@code ports} is left on the server's side and
     * the server's CPU is idle, at most QUIET_MAX.
     *
     * @return seconds waited, whether it timed out, and the server's CPU share of one core in the last sample
     */
    private static JsonObject quiet(Set<Integer> ports) {
        long start = System.nanoTime();
        LockSupport.parkNanos(PAUSE.toNanos());
        long deadline = start + QUIET_MAX.toNanos();
        int left = -1;
        double cpu = -1;
        while (System.nanoTime() < deadline) {
            Map<Integer, TcpSockets.Entry> server = TcpSockets.serverSides(TcpSockets.read(), PORT);
            left = (int) ports.stream().filter(server::containsKey).count();
            long c0 = serverCpu();
            long t0 = System.nanoTime();
            LockSupport.parkNanos(QUIET_SAMPLE.toNanos());
            cpu = (serverCpu() - c0) / (double) (System.nanoTime() - t0);
            if (left == 0 && cpu < QUIET_CPU) {
                break;
            }
        }
        return Json.createObjectBuilder().add("seconds", (System.nanoTime() - start) / 1e9)
                .add("timedOut", left != 0 || cpu >= QUIET_CPU).add("socketsLeft", left).add("serverCpuCores", cpu)
                .build();
    }

    /** One measured run of one system; a run that fails is recorded with its error. */
    private JsonObject run(String scenario, int round, int position, Subject subject, int size, int stalled,
            int payload, double rate) {
        JsonObjectBuilder r = Json.createObjectBuilder().add("scenario", scenario).add("round", round)
                .add("position", position).add("system", subject.label).add("roomSize", size).add("stalled", stalled)
                .add("payloadBytes", payload).add("offeredMsgsPerSecond", rate).add("startedAt",
                        Instant.now().toString());
        String pad = "x".repeat(Math.max(0, payload - 50));
        Room room = new Room(subject, size, stalled);
        try {
            long t = System.nanoTime();
            room.open();
            room.sync();
            r.add("openSeconds", (System.nanoTime() - t) / 1e9);
            if (subject.subprotocol != null) {
                r.add("subprotocol", String.valueOf(room.publisher.socket.subprotocol));
            }
            t = System.nanoTime();
            room.fill();
            if (stalled > 0) {
                r.add("fill", Json.createObjectBuilder().add("filled", room.filled).add("steps", room.fillSteps)
                        .add("bytesPerMember", room.fillBytesPerMember).add("seconds", (System.nanoTime() - t) / 1e9));
            }
            Phase warm = new Phase(false, room.healthy);
            room.publish(warm, WARMUP, pad, rate);
            r.add("warmupDrained", room.drain(warm, Duration.ofSeconds(QUICK ? 2 : 5)));

            Phase measure = new Phase(false, room.healthy);
            StalledSockets before = room.stalledSockets();
            long closed0 = subject.switchboard() ? slowClosed() : 0;
            long frames0 = room.frames();
            long client0 = clientCpu();
            long loop0 = CLIENTS.memberLoopCpuNanos();
            GcTotals clientGc0 = GcTotals.now();
            JsonObject server0 = get("/api/probe/cpu");
            long t0 = System.nanoTime();
            room.publish(measure, rate > 0 ? LATENCY_MEASURE : MEASURE, pad, rate);
            long t1 = System.nanoTime();
            long delivered = measure.delivered();
            long frames1 = room.frames();
            long client1 = clientCpu();
            long loop1 = CLIENTS.memberLoopCpuNanos();
            GcTotals clientGc = GcTotals.now().since(clientGc0);
            JsonObject server1 = get("/api/probe/cpu");
            GcTotals serverGc = serverGc(server1).since(serverGc(server0));
            StalledSockets after = room.stalledSockets();
            long closed = subject.switchboard() ? slowClosed() - closed0 : 0;
            double seconds = (t1 - t0) / 1e9;
            long completed = measure.completed.get();
            // Before the clients go, the messages still in flight: a hand-written loop still writing to a room whose
            // sockets are aborted under it held Liberty's executor threads (CWWKE1200W) into the next run. Latency is
            // read after it, so the window's last messages (up to WINDOW) count with all their members, not only the
            // first ones (which biased the p99s of throughput runs low until here).
            boolean drained = room.drain(measure, Duration.ofSeconds(10));
            Histogram h = measure.latency.getIntervalHistogram();
            Histogram first = measure.firstMember.getIntervalHistogram();
            Histogram last = measure.lastMember.getIntervalHistogram();
            r.add("seconds", seconds)
                    .add("sent", measure.sent)
                    .add("completed", completed)
                    .add("publishedPerSecond", measure.sent / seconds)
                    .add("deliveredPerSecond", delivered / seconds)
                    .add("framesPerSecond", (frames1 - frames0) / seconds)
                    .add("messagesPerFrame", frames1 > frames0 ? delivered / (double) (frames1 - frames0) : 0)
                    .add("p50Ms", h.getValueAtPercentile(50) / 1e6)
                    .add("p99Ms", h.getValueAtPercentile(99) / 1e6)
                    .add("p999Ms", h.getValueAtPercentile(99.9) / 1e6)
                    .add("maxMs", h.getMaxValue() / 1e6)
                    .add("firstMemberP50Ms", first.getValueAtPercentile(50) / 1e6)
                    .add("firstMemberP99Ms", first.getValueAtPercentile(99) / 1e6)
                    .add("lastMemberP50Ms", last.getValueAtPercentile(50) / 1e6)
                    .add("lastMemberP99Ms", last.getValueAtPercentile(99) / 1e6)
                    .add("generatorCpuShare", (client1 - client0) / 1e9 / seconds / CORES)
                    .add("serverCpuShare", (num(server1, "cpuNanos") - num(server0, "cpuNanos")) / 1e9 / seconds
                            / CORES)
                    .add("memberLoopBusy", (loop1 - loop0) / 1e9 / seconds / GENERATOR_THREADS)
                    .add("serverGcPauses", serverGc.collections()).add("serverGcMillis", serverGc.millis())
                    .add("generatorGcPauses", clientGc.collections()).add("generatorGcMillis", clientGc.millis())
                    .add("generatorCpuNanosPerMessage", delivered > 0 ? (client1 - client0) / (double) delivered : 0)
                    .add("sampleMessage", measure.sample == null ? "" : measure.sample)
                    .add("sampleMessageBytes", room.members.stream().mapToInt(m -> m.sampleBytes).max().orElse(0));
            if (stalled > 0) {
                r.add("stalledAtStart", before.json()).add("stalledAtEnd", after.json())
                        .add("stalledClosedInWindow", before.open() - after.open())
                        .add("slowConsumersClosed", closed);
            }
            r.add("endDrained", drained);
            r.add("failed", false);
        } catch (RuntimeException e) {
            r.add("failed", true).add("error", String.valueOf(e.getCause() != null ? e.getCause() : e));
        } finally {
            room.close();
            r.add("quiet", quiet(room.ports()));
        }
        JsonObject result = r.build();
        System.out.println("bench run: " + summary(result));
        runs.add(result);
        return result;
    }

    private static String summary(JsonObject r) {
        if (r.getBoolean("failed")) {
            return r.getString("scenario") + " " + r.getString("system") + ": FAILED " + r.getString("error");
        }
        return String.format(Locale.ROOT, "%s round %d %s: %.0f msgs/s delivered, %.0f frames/s, p99 %.1f ms "
                + "(first member %.1f, last %.1f), gen %.0f%% (member loop %.0f%% busy) srv %.0f%% (GC %d, %d ms), "
                + "quiet %.1f s", label(r), r.getInt("round"), r.getString("system"), num(r, "deliveredPerSecond"),
                num(r, "framesPerSecond"), num(r, "p99Ms"), num(r, "firstMemberP99Ms"), num(r, "lastMemberP99Ms"),
                100 * num(r, "generatorCpuShare"), 100 * num(r, "memberLoopBusy"), 100 * num(r, "serverCpuShare"),
                r.getInt("serverGcPauses"), r.getInt("serverGcMillis"),
                r.getJsonObject("quiet").getJsonNumber("seconds").doubleValue());
    }

    /** @return a scenario's kind, and the rate offered if it had one */
    private static String label(JsonObject run) {
        double rate = num(run, "offeredMsgsPerSecond");
        return run.getString("scenario") + (rate > 0 ? String.format(Locale.ROOT, " at %.1f msgs/s", rate) : "");
    }

    private static double num(JsonObject o, String key) {
        return o.getJsonNumber(key).doubleValue();
    }

    /** Runs every system ROUNDS times, in the order ABC, CBA, ABC, ...; returns each system's runs. */
    private Map<Subject, List<JsonObject>> scenario(String scenario, int size, int stalled, int payload,
            double rate) {
        Map<Subject, List<JsonObject>> bySystem = new LinkedHashMap<>();
        for (Subject s : Subject.values()) {
            bySystem.put(s, new ArrayList<>());
        }
        for (int round = 0; round < ROUNDS; round++) {
            List<Subject> order = inRoundOrder(Arrays.asList(Subject.values()), round);
            for (int i = 0; i < order.size(); i++) {
                bySystem.get(order.get(i)).add(run(scenario, round, i, order.get(i), size, stalled, payload, rate));
            }
        }
        return bySystem;
    }

    /** The order of a round: as given in even rounds, reversed in odd ones (ABC, CBA, ...). */
    private static <T> List<T> inRoundOrder(List<T> items, int round) {
        List<T> order = new ArrayList<>(items);
        if (round % 2 == 1) {
            java.util.Collections.reverse(order);
        }
        return order;
    }

    private static double[] values(List<JsonObject> runs, String key) {
        return runs.stream().filter(r -> !r.getBoolean("failed")).mapToDouble(r -> num(r, key)).sorted().toArray();
    }

    private static double median(double[] sorted) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /**
     * Heap per idle connection for a bare Liberty endpoint, Switchboard and the baseline: ROUNDS samples each, in the
     * order ABC, CBA, ... like the scenarios' runs (a full collection drifts with what the server did before it).
     */
    private void memory(int connections) {
        String[][] targets = {{"bare", "/probe/bare"}, {"switchboard", "/probe/member/mem-"},
            {"baseline", "/baseline/mem-"}};
        for (int round = 0; round < ROUNDS; round++) {
            for (String[] target : inRoundOrder(Arrays.asList(targets), round)) {
                memory.add(memorySample(connections, round, target[0], target[1]));
            }
        }
    }

    private JsonObject memorySample(int connections, int round, String system, String path) {
        JsonObject before = get("/api/probe/heap");
        List<CompletableFuture<LoadClients.Client>> opening = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            opening.add(CLIENTS.open(path.endsWith("-") ? path + (i % 100) : path, true, text -> { }));
            if (i % 250 == 249) {
                opening.get(i).join();
            }
        }
        List<LoadClients.Client> open = opening.stream().map(CompletableFuture::join).toList();
        JsonObject after = get("/api/probe/heap");
        double heap = (num(after, "used") - num(before, "used")) / connections;
        double rss = (num(after, "rss") - num(before, "rss")) / connections;
        Set<Integer> ports = new HashSet<>();
        open.forEach(c -> ports.add(c.localPort()));
        open.stream().map(LoadClients.Client::abort).toList().forEach(f -> f.syncUninterruptibly());
        return Json.createObjectBuilder().add("scenario", "memory").add("system", system)
                .add("connections", connections).add("round", round).add("heapBytesPerConnection", heap)
                .add("rssBytesPerConnection", rss).add("quiet", quiet(ports)).build();
    }

    /** Heap per connection of one system at one count, over its rounds, sorted. */
    private double[] heapSamples(int connections, String system) {
        return memory.stream().filter(r -> r.getInt("connections") == connections
                && r.getString("system").equals(system)).mapToDouble(r -> num(r, "heapBytesPerConnection"))
                .sorted().toArray();
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.MINUTES) // a full run takes about 35 minutes, past the tests' 5-minute guard
    void fanOutAgainstTheHandWrittenBaseline() throws IOException {
        Map<String, Map<Subject, List<JsonObject>>> scenarios = new LinkedHashMap<>();
        String bigKey = "throughput-" + BIG_ROOM + "-100";
        String latencyKey = "latency-" + BIG_ROOM + "-100";
        String loadedKey = "loaded-" + BIG_ROOM + "-100";
        String referenceKey = "throughput-" + BIG_ROOM + "-4096";
        String isolationKey = "isolation-" + BIG_ROOM + "-4096";
        if (selected("throughput-1-100")) {
            scenarios.put("throughput-1-100", scenario("throughput", 1, 0, 100, 0));
        }
        if (selected("throughput-100-100")) {
            scenarios.put("throughput-100-100", scenario("throughput", 100, 0, 100, 0));
        }
        Map<Subject, List<JsonObject>> big = null;
        // the latency scenarios' rates come from it
        if (selected(bigKey) || selected(latencyKey) || selected(loadedKey)) {
            big = scenario("throughput", BIG_ROOM, 0, 100, 0);
            scenarios.put(bigKey, big);
        }
        // Right after the runs it checks, on the server in the same state (run after the isolation scenario in
        // 3d7b89a, it checked a server whose baseline had fallen to a third).
        JsonObject crosscheck = Boolean.getBoolean("bench.crosscheck") ? crosscheck() : null;
        if (selected(referenceKey) || selected(isolationKey)) { // the isolation scenario's reference
            scenarios.put(referenceKey, scenario("throughput", BIG_ROOM, 0, 4096, 0));
        }
        if (selected(latencyKey) || selected(loadedKey)) {
            // every system at the same rate: half the baseline's median maximum, and 0.8 of it
            double baselineMax = median(values(big.get(Subject.BASELINE), "deliveredPerSecond")) / BIG_ROOM;
            double max = Double.isNaN(baselineMax) || baselineMax <= 0 ? 100 : baselineMax;
            if (selected(latencyKey)) {
                scenarios.put(latencyKey, scenario("latency", BIG_ROOM, 0, 100, max / 2));
            }
            if (selected(loadedKey)) {
                scenarios.put(loadedKey, scenario("loaded", BIG_ROOM, 0, 100, 0.8 * max));
            }
        }
        if (selected("memory")) {
            for (int n : QUICK ? new int[] {500, 1000} : new int[] {1000, 5000, 10000}) {
                memory(n);
            }
        }
        // Last: the baseline's publisher threads stay blocked on the stalled sockets (3d7b89a: 452 threads still
        // running at shutdown), and every baseline run after it delivered a third of its rate.
        if (selected(isolationKey)) {
            scenarios.put(isolationKey, scenario("isolation", BIG_ROOM, BIG_ROOM / 100, 4096, 0));
        }
        report(scenarios, referenceKey, crosscheck);
        assertThat(runs.size() + memory.size()).as("runs and memory samples").isPositive();
        assertThat(runs.stream().filter(r -> r.getString("system").equals("baseline"))
                .allMatch(r -> !r.getBoolean("failed"))).as("every baseline run succeeded").isTrue();
    }

    /** {@code -Dbench.scenarios=throughput-1000-100,memory}: only those (and what they need); all by default. */
    private static boolean selected(String scenario) {
        String only = System.getProperty("bench.scenarios", "");
        return only.isBlank() || Arrays.asList(only.split(",")).contains(scenario);
    }

    /**
     * The baseline's figure under an independent generator (bench/crosscheck: Node.js and ws, another process), on
     * this server, at the room, payload and window of {@code throughput-BIG_ROOM-100}: ROUNDS pairs of runs, this
     * JVM's generator and the Node.js one alternating (JN, NJ, ...) so that both see the server in the same state,
     * each Node.js run a fresh process followed by the same quiet pause as every other run, this JVM's generator idle
     * meanwhile. Needs {@code npm ci} in bench/crosscheck first.
     */
    private JsonObject crosscheck() {
        Path script = Path.of(git("rev-parse", "--show-toplevel"), "bench", "crosscheck", "crosscheck.mjs");
        JsonArrayBuilder lines = Json.createArrayBuilder();
        List<Double> node = new ArrayList<>();
        List<Double> java = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            List<Boolean> order = inRoundOrder(List.of(true, false), round); // true: this JVM's generator
            for (int position = 0; position < order.size(); position++) {
                if (order.get(position)) {
                    JsonObject run = run("crosscheck", round, position, Subject.BASELINE, BIG_ROOM, 0, 100, 0);
                    lines.add(Json.createObjectBuilder(run).add("generator", "java"));
                    if (!run.getBoolean("failed")) {
                        java.add(num(run, "deliveredPerSecond"));
                    }
                } else {
                    JsonObject run = crosscheckRun(script);
                    lines.add(Json.createObjectBuilder(run).add("generator", "node").add("round", round)
                            .add("position", position));
                    if (run.containsKey("deliveredPerSecond")) {
                        node.add(num(run, "deliveredPerSecond"));
                    }
                }
            }
        }
        double[] n = node.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double[] j = java.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        JsonObjectBuilder r = Json.createObjectBuilder().add("generator", "Node.js "
                + "(bench/crosscheck/crosscheck.mjs, ws), a process per run").add("system", "baseline")
                .add("roomSize", BIG_ROOM).add("payloadBytes", 100).add("window", WINDOW)
                .add("okRuns", Json.createObjectBuilder().add("java", j.length).add("node", n.length));
        if (n.length > 0 && j.length > 0) {
            r.add("javaGeneratorMedian", median(j)).add("javaGeneratorMin", j[0])
                    .add("javaGeneratorMax", j[j.length - 1]).add("nodeGeneratorMedian", median(n))
                    .add("nodeGeneratorMin", n[0]).add("nodeGeneratorMax", n[n.length - 1])
                    .add("javaOverNode", median(j) / median(n));
        }
        JsonObject result = r.add("runs", lines).build();
        System.out.println("crosscheck: " + result);
        return result;
    }

    /** One Node.js run, bounded: a generator that hangs is killed and recorded as failed. */
    private static JsonObject crosscheckRun(Path script) {
        Set<Integer> before = TcpSockets.serverSides(TcpSockets.read(), PORT).keySet();
        JsonObjectBuilder r = Json.createObjectBuilder();
        Set<Integer> ports = new HashSet<>();
        Path out = null;
        try {
            out = Files.createTempFile("crosscheck", ".out");
            Process p = new ProcessBuilder("node", script.toString(), "--url", "ws://localhost:" + PORT + "/baseline/",
                    "--room-size", String.valueOf(BIG_ROOM), "--payload", "100", "--window", String.valueOf(WINDOW),
                    "--warmup", String.valueOf(WARMUP.toMillis() / 1e3), "--seconds",
                    String.valueOf(MEASURE.toMillis() / 1e3), "--runs", "1", "--pause", "0")
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            long bound = 60 + 2 * (WARMUP.toSeconds() + MEASURE.toSeconds()); // the room opens and syncs in < 60 s
            boolean exited = p.waitFor(bound, TimeUnit.SECONDS);
            if (!exited) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                r.add("error", "the Node.js generator did not finish in " + bound + " s");
            } else {
                r.add("exitCode", p.exitValue());
            }
            for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
                if (!line.startsWith("{")) {
                    System.out.println("crosscheck: " + line);
                    continue;
                }
                try (JsonReader reader = Json.createReader(new StringReader(line))) {
                    JsonObject o = reader.readObject();
                    if (!o.containsKey("summary")) {
                        o.forEach(r::add);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            r.add("error", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            r.add("error", e.toString());
        } finally {
            if (out != null) {
                out.toFile().delete();
            }
        }
        ports.addAll(TcpSockets.serverSides(TcpSockets.read(), PORT).keySet().stream()
                .filter(port -> !before.contains(port)).toList()); // the generator's, if still on the server's side
        return r.add("quiet", quiet(ports)).build();
    }

    private static String git(String... args) {
        List<String> command = new ArrayList<>(List.of("git", "--no-optional-locks"));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor() == 0 ? out : "?";
        } catch (IOException e) {
            return "?";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }

    private void report(Map<String, Map<Subject, List<JsonObject>>> scenarios, String isolationReference,
            JsonObject crosscheck) throws IOException {
        String liberty = Files.readAllLines(Path.of("target/liberty/wlp/lib/versions/openliberty.properties"))
                .stream().filter(l -> l.startsWith("com.ibm.websphere.productVersion")).findFirst().orElse("?=?");
        liberty = liberty.substring(liberty.indexOf('=') + 1);
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 2)).orElse("?");
        String memTotal = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                .findFirst().map(l -> l.replaceAll("[^0-9]", "")).orElse("0");
        String generator = "Netty " + io.netty.util.Version.identify().values().iterator().next().artifactVersion()
                + (io.netty.channel.epoll.Epoll.isAvailable() ? " epoll" : " nio") + ", " + GENERATOR_THREADS
                + (GENERATOR_THREADS == 1 ? " event loop" : " event loops") + ", in the test JVM";
        String commit = git("rev-parse", "HEAD");
        String status = git("status", "--porcelain", "--untracked-files=no");
        boolean dirty = !status.isEmpty();
        JsonObject machine = Json.createObjectBuilder().add("cores", CORES).add("cpu", cpu)
                .add("memoryKiB", Long.parseLong(memTotal))
                .add("os", System.getProperty("os.name") + " " + System.getProperty("os.version"))
                .add("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"))
                .add("liberty", liberty).add("generator", generator).add("handshakesRetried", CLIENTS.retried())
                .build();
        JsonObject settings = Json.createObjectBuilder().add("quick", QUICK).add("rounds", ROUNDS)
                .add("order", "ABC, CBA, ... per scenario (A switchboard, B switchboard-batched, C baseline)")
                .add("warmupSeconds", WARMUP.toMillis() / 1e3).add("measureSeconds", MEASURE.toMillis() / 1e3)
                .add("latencyMeasureSeconds", LATENCY_MEASURE.toMillis() / 1e3)
                .add("minPauseSeconds", PAUSE.toMillis() / 1e3).add("window", WINDOW)
                .add("quietCpuCores", QUIET_CPU)
                .add("scenarios", System.getProperty("bench.scenarios", "")).build();

        JsonArrayBuilder summaries = Json.createArrayBuilder();
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%n== Fan-out: Switchboard against the "
                + "hand-written baseline (%s), commit %s%s%n%d cores, %s, %s, Liberty %s; generator %s; %d rounds "
                + "(ABC, CBA, ...), warm-up %.1f s, measured %.1f s per run (latency: %.1f s); medians with "
                + "(min-max)%n%n",
                QUICK ? "quick" : "full", commit.length() > 7 ? commit.substring(0, 7) : commit, dirty ? " (dirty)" : "",
                CORES, cpu, machine.getString("jdk"), liberty, generator, ROUNDS, WARMUP.toMillis() / 1e3,
                MEASURE.toMillis() / 1e3, LATENCY_MEASURE.toMillis() / 1e3));
        table.append("| scenario | room | payload | stalled | system | delivered msgs/s | ratio | msgs/frame "
                + "| p50 / p99 / p99.9 ms | generator CPU | server CPU | gen µs/msg | member loop busy "
                + "| server GC pauses, ms | stalled closed in window | ok runs |\n");
        table.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (var entry : scenarios.entrySet()) {
            Map<Subject, List<JsonObject>> bySystem = entry.getValue();
            double base = median(values(bySystem.get(Subject.BASELINE), "deliveredPerSecond"));
            double baseP99 = median(values(bySystem.get(Subject.BASELINE), "p99Ms"));
            JsonArrayBuilder systems = Json.createArrayBuilder();
            for (var s : bySystem.entrySet()) {
                List<JsonObject> rs = s.getValue();
                JsonObject first = rs.get(0);
                double[] delivered = values(rs, "deliveredPerSecond");
                double med = median(delivered);
                JsonObjectBuilder sum = Json.createObjectBuilder().add("system", s.getKey().label)
                        .add("runs", rs.size()).add("failedRuns", rs.size() - delivered.length);
                String closedText = "";
                if (delivered.length > 0) {
                    double ratio = med / base;
                    double p99 = median(values(rs, "p99Ms"));
                    sum.add("deliveredPerSecondMedian", med).add("deliveredPerSecondMin", delivered[0])
                            .add("deliveredPerSecondMax", delivered[delivered.length - 1])
                            .add("messagesPerFrameMedian", median(values(rs, "messagesPerFrame")))
                            .add("p50MsMedian", median(values(rs, "p50Ms"))).add("p99MsMedian", p99)
                            .add("p999MsMedian", median(values(rs, "p999Ms")))
                            .add("firstMemberP99MsMedian", median(values(rs, "firstMemberP99Ms")))
                            .add("lastMemberP99MsMedian", median(values(rs, "lastMemberP99Ms")))
                            .add("generatorCpuShareMedian", median(values(rs, "generatorCpuShare")))
                            .add("serverCpuShareMedian", median(values(rs, "serverCpuShare")))
                            .add("generatorCpuNanosPerMessageMedian", median(values(rs, "generatorCpuNanosPerMessage")))
                            .add("publishedPerSecondMedian", median(values(rs, "publishedPerSecond")))
                            .add("memberLoopBusyMedian", median(values(rs, "memberLoopBusy")))
                            .add("serverGcPausesMedian", median(values(rs, "serverGcPauses")))
                            .add("serverGcMillisMedian", median(values(rs, "serverGcMillis")))
                            .add("generatorGcMillisMedian", median(values(rs, "generatorGcMillis")));
                    if (Double.isFinite(ratio)) {
                        sum.add("ratio", ratio);
                    }
                    if (Double.isFinite(p99 / baseP99)) {
                        sum.add("p99Ratio", p99 / baseP99);
                    }
                    if (first.getInt("stalled") > 0) {
                        List<Integer> closedRuns = rs.stream().filter(r -> !r.getBoolean("failed"))
                                .map(r -> r.getInt("stalledClosedInWindow")).toList();
                        JsonArrayBuilder c = Json.createArrayBuilder();
                        closedRuns.forEach(c::add);
                        sum.add("stalledClosedInWindow", c);
                        closedText = closedRuns.toString();
                        double ref = median(values(scenarios.get(isolationReference).get(s.getKey()),
                                "deliveredPerSecond")) * (first.getInt("roomSize") - first.getInt("stalled"))
                                / first.getInt("roomSize");
                        if (Double.isFinite(med / ref)) {
                            sum.add("ofReferencePerHealthyMember", med / ref);
                        }
                    }
                    table.append(String.format(Locale.ROOT,
                            "| %s | %,d | %d B | %d | %s | %,.0f (%,.0f-%,.0f) | %s | %.2f | %.1f / %.1f / %.1f "
                                    + "| %.0f%% | %.0f%% | %.2f | %.0f%% | %.0f, %.0f | %s | %d of %d |%n",
                            label(first), first.getInt("roomSize"), first.getInt("payloadBytes"),
                            first.getInt("stalled"), s.getKey().label, med, delivered[0],
                            delivered[delivered.length - 1], Double.isFinite(ratio) ? String.format(Locale.ROOT,
                                    "%.2f", ratio) : "no bound",
                            median(values(rs, "messagesPerFrame")), median(values(rs, "p50Ms")), p99,
                            median(values(rs, "p999Ms")), 100 * median(values(rs, "generatorCpuShare")),
                            100 * median(values(rs, "serverCpuShare")),
                            median(values(rs, "generatorCpuNanosPerMessage")) / 1e3,
                            100 * median(values(rs, "memberLoopBusy")), median(values(rs, "serverGcPauses")),
                            median(values(rs, "serverGcMillis")), closedText, delivered.length,
                            rs.size()));
                } else {
                    String error = rs.get(0).containsKey("error") ? rs.get(0).getString("error") : "?";
                    table.append(String.format(Locale.ROOT, "| %s | %,d | %d B | %d | %s | failed: %s | | | | | | | | | "
                            + "| 0 of %d |%n", label(first), first.getInt("roomSize"),
                            first.getInt("payloadBytes"), first.getInt("stalled"), s.getKey().label,
                            error.replace('|', '/'), rs.size()));
                }
                systems.add(sum);
            }
            JsonObject first = bySystem.get(Subject.BASELINE).get(0);
            summaries.add(Json.createObjectBuilder().add("scenario", entry.getKey())
                    .add("kind", first.getString("scenario")).add("roomSize", first.getInt("roomSize"))
                    .add("stalled", first.getInt("stalled")).add("payloadBytes", first.getInt("payloadBytes"))
                    .add("offeredMsgsPerSecond", num(first, "offeredMsgsPerSecond")).add("systems", systems));
        }
        table.append("\n| idle connections | bare Liberty endpoint, heap B/conn | Switchboard | baseline "
                + "| Switchboard above bare (medians) |\n|---|---|---|---|---|\n");
        JsonArrayBuilder memorySummaries = Json.createArrayBuilder();
        for (int n : memory.stream().mapToInt(r -> r.getInt("connections")).distinct().toArray()) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %,d |", n));
            JsonObjectBuilder m = Json.createObjectBuilder().add("connections", n);
            Map<String, Double> medians = new HashMap<>();
            for (String system : List.of("bare", "switchboard", "baseline")) {
                double[] h = heapSamples(n, system);
                double median = median(h);
                medians.put(system, median);
                m.add(system + "HeapBytesPerConnectionMedian", median).add(system + "HeapBytesPerConnectionMin",
                        h[0]).add(system + "HeapBytesPerConnectionMax", h[h.length - 1]);
                row.append(String.format(Locale.ROOT, " %,.0f (%,.0f-%,.0f) |", median, h[0], h[h.length - 1]));
            }
            double above = medians.get("switchboard") - medians.get("bare");
            memorySummaries.add(m.add("switchboardAboveBare", above));
            table.append(row).append(String.format(Locale.ROOT, " %+,.0f |%n", above));
        }
        if (crosscheck != null && crosscheck.containsKey("javaOverNode")) {
            table.append(String.format(Locale.ROOT, "%nCross-check, baseline, room %,d, 100 B, runs alternating: this "
                    + "generator %,.0f (%,.0f-%,.0f) msgs/s, the Node.js one (bench/crosscheck) %,.0f (%,.0f-%,.0f): "
                    + "%.2f%n", BIG_ROOM, num(crosscheck, "javaGeneratorMedian"), num(crosscheck, "javaGeneratorMin"),
                    num(crosscheck, "javaGeneratorMax"), num(crosscheck, "nodeGeneratorMedian"),
                    num(crosscheck, "nodeGeneratorMin"), num(crosscheck, "nodeGeneratorMax"),
                    num(crosscheck, "javaOverNode")));
        }
        JsonArrayBuilder all = Json.createArrayBuilder();
        runs.forEach(all::add);
        JsonArrayBuilder mem = Json.createArrayBuilder();
        memory.forEach(mem::add);
        JsonObject document = Json.createObjectBuilder()
                .add("commit", Json.createObjectBuilder().add("id", commit).add("dirty", dirty)
                        .add("changed", status))
                .add("date", Instant.now().toString()).add("machine", machine).add("settings", settings)
                .add("scenarios", summaries).add("memorySummary", memorySummaries).add("memory", mem)
                .add("runs", all)
                .add("crosscheck", crosscheck == null ? Json.createObjectBuilder().add("run", false).build()
                        : crosscheck).build();
        Files.createDirectories(Path.of("target/bench"));
        Files.writeString(Path.of("target/bench/results.json"), document.toString());
        System.out.println(table);
        Files.writeString(Path.of("target/bench/results.txt"), table);
        if (Boolean.getBoolean("bench.keep")) {
            String top = git("rev-parse", "--show-toplevel");
            Path kept = Path.of(top, "bench", "results", commit.substring(0, Math.min(7, commit.length()))
                    + (dirty ? "-dirty" : "") + (QUICK ? "-quick" : "") + ".json");
            Files.createDirectories(kept.getParent());
            Files.writeString(kept, document.toString());
            System.out.println("kept " + kept);
        }
    }
}
