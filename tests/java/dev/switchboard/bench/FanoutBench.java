package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.it.Deployments;
import io.netty.buffer.ByteBuf;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
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
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Switchboard's fan-out ({@code /chat/{room}}) against what a team writes by hand ({@link BaselineEndpoint}), on the
 * same Liberty, in one run, alternating A/B/A/B. Prints a table and writes {@code target/bench/results.json}. Run with
 * {@code mvn -Pbench verify}; {@code -Dbench.quick=true} runs every scenario briefly, to check the harness.
 *
 * <p>The load generator is this JVM ({@link LoadClients}, Netty on epoll): its CPU share is reported with every
 * figure, since it shares the machine's cores with the server; the server is a separate process (Liberty). Publishers keep a bounded window of messages not yet received by
 * every member, for both systems alike, so that neither is measured while discarding or closing.
 */
@ExtendWith(ArquillianExtension.class)
class FanoutBench {

    private static final boolean QUICK = Boolean.getBoolean("bench.quick");
    private static final Duration WARMUP = QUICK ? Duration.ofMillis(500) : Duration.ofSeconds(3);
    private static final Duration MEASURE = QUICK ? Duration.ofMillis(1500) : Duration.ofSeconds(8);
    private static final int ROUNDS = QUICK ? 1 : 2;
    /** What each stalled member is sent before the run, to itself only: more than loopback's socket buffers take. */
    private static final int FILL_FRAMES = 40;
    private static final int FILL_BYTES = 128 * 1024;
    private static final int WINDOW = 32;
    private static final String ADMIN = "Basic " + Base64.getEncoder()
            .encodeToString("admin:admin-pw".getBytes(StandardCharsets.UTF_8));
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int CORES = Runtime.getRuntime().availableProcessors();
    /** The load generator: one event loop per core (they share the cores with the server). */
    private static final LoadClients CLIENTS = new LoadClients(CORES);

    private final List<JsonObject> results = new ArrayList<>();
    private int runs;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.app().addClasses(BaselineEndpoint.class); // the probes bring /probe/bare and /api/probe
    }

    /** The two systems under test, and where a room of each lives. */
    enum System {
        SWITCHBOARD("/chat/"), BASELINE("/baseline/");

        final String prefix;

        System(String prefix) {
            this.prefix = prefix;
        }
    }

    /** One member: counts room frames and, if asked, records publish-to-receive latency. */
    static final class Member implements LoadClients.Receiver {
        final LongAdder frames;
        final LongAdder ready;
        final Recorder latency;
        final boolean reading;
        boolean got;
        volatile long count; // written by the member's event-loop thread only
        LoadClients.Client socket;

        Member(LongAdder frames, LongAdder ready, Recorder latency, boolean reading) {
            this.frames = frames;
            this.ready = ready;
            this.latency = latency;
            this.reading = reading;
        }

        @Override
        public void frame(ByteBuf text) {
            int start = text.readerIndex();
            int end = text.writerIndex();
            if (end - start <= 8 || text.getByte(start + 2) != 'r') { // room frames are {"room":...}
                return;
            }
            frames.increment();
            count++;
            if (!got) {
                got = true;
                ready.increment();
            }
            if (latency == null) {
                return;
            }
            for (int i = start; i + 4 < end; i++) { // ..."t":<nanoTime>...
                if (text.getByte(i) == '"' && text.getByte(i + 1) == 't' && text.getByte(i + 2) == '"'
                        && text.getByte(i + 3) == ':') {
                    long sent = 0;
                    for (int j = i + 4; j < end; j++) {
                        byte c = text.getByte(j);
                        if (c < '0' || c > '9') {
                            break;
                        }
                        sent = sent * 10 + (c - '0');
                    }
                    latency.recordValue(Math.max(0, java.lang.System.nanoTime() - sent));
                    return;
                }
            }
        }
    }

    /** A room of members of one system. */
    final class Room implements AutoCloseable {
        final LongAdder healthyFrames = new LongAdder();
        final LongAdder stalledFrames = new LongAdder();
        final LongAdder ready = new LongAdder();
        final Recorder latency = new Recorder(3);
        final List<Member> members = new ArrayList<>();
        final int healthy;
        final Member publisher;

        Room(System system, int size, int stalled) {
            String room = "bench-" + (++runs);
            String path = system.prefix + room;
            // Stalled Switchboard members join the room's group through the probe endpoint, and a group of their own
            // through which they are filled (below); stalled baseline members ask the baseline to fill them.
            String stalledPath = system == System.SWITCHBOARD ? "/probe/member/chat_" + room + "?also=fill-" + room
                    : path;
            List<CompletableFuture<LoadClients.Client>> opening = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                boolean reading = i >= stalled;
                Member member = new Member(reading ? healthyFrames : stalledFrames, ready, reading ? latency : null,
                        reading);
                members.add(member);
                opening.add(CLIENTS.open(reading ? path : stalledPath, reading, member));
                if (opening.size() % 200 == 0) {
                    opening.get(opening.size() - 1).join(); // do not flood the acceptor
                }
            }
            for (int i = 0; i < size; i++) {
                members.get(i).socket = opening.get(i).join();
            }
            healthy = size - stalled;
            publisher = members.get(size - 1);
            // every member is in the room once a message has reached each of them
            long deadline = java.lang.System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (ready.sum() < healthy) {
                publisher.socket.send("{\"sync\":1}").syncUninterruptibly();
                long wait = java.lang.System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
                while (ready.sum() < healthy && java.lang.System.nanoTime() < wait) {
                    LockSupport.parkNanos(1_000_000);
                }
                if (java.lang.System.nanoTime() > deadline) {
                    throw new IllegalStateException("room " + path + " never filled: " + ready.sum() + " of " + healthy);
                }
            }
            if (stalled > 0) { // the stalled members stopped reading a while ago: their socket buffers are full
                if (system == System.SWITCHBOARD) {
                    HTTP.sendAsync(HttpRequest.newBuilder(URI.create("http://localhost:9080/api/probe/send?group=fill-"
                            + room + "&from=0&count=" + FILL_FRAMES + "&size=" + FILL_BYTES)).header("Authorization", ADMIN)
                            .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
                } else {
                    for (Member m : members.subList(0, stalled)) {
                        m.socket.send("{\"fill\":" + FILL_FRAMES + ",\"size\":" + FILL_BYTES + "}");
                    }
                }
            }
            healthyFrames.reset();
            latency.reset();
        }

        /** @return how many room frames the slowest healthy member has received */
        long slowest() {
            long min = Long.MAX_VALUE;
            for (Member m : members) {
                if (m.reading) {
                    min = Math.min(min, m.count);
                }
            }
            return min;
        }

        /** Sends for {@code duration}, keeping at most WINDOW messages not yet received by every healthy member. */
        long[] publish(Duration duration, String pad, double ratePerSecond) {
            long sent = 0;
            long start = java.lang.System.nanoTime();
            long end = start + duration.toNanos();
            long framesAtStart = healthyFrames.sum();
            long slowestAtStart = slowest();
            long interval = ratePerSecond > 0 ? (long) (1e9 / ratePerSecond) : 0;
            while (java.lang.System.nanoTime() < end) {
                if (interval > 0) {
                    long due = start + sent * interval;
                    while (java.lang.System.nanoTime() < due) {
                        LockSupport.parkNanos(Math.min(200_000, due - java.lang.System.nanoTime()));
                    }
                }
                while (slowest() - slowestAtStart < sent - WINDOW && java.lang.System.nanoTime() < end) {
                    LockSupport.parkNanos(20_000);
                }
                publisher.socket.send("{\"t\":" + java.lang.System.nanoTime() + ",\"pad\":\"" + pad + "\"}")
                        .syncUninterruptibly();
                sent++;
            }
            return new long[] {sent, healthyFrames.sum() - framesAtStart};
        }

        /** Aborts every member and waits until their sockets are closed, so rooms do not overlap. */
        @Override
        public void close() {
            members.stream().map(m -> m.socket.abort()).toList().forEach(f -> f.syncUninterruptibly());
        }
    }

    private static JsonObject get(String path) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:9080" + path))
                    .header("Authorization", ADMIN).build(), HttpResponse.BodyHandlers.ofString());
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

    private static long serverCpu() {
        return get("/api/probe/cpu").getJsonNumber("cpuNanos").longValue();
    }

    /** One measured run: frames/s to healthy members, latency, and both processes' CPU shares. */
    private JsonObject run(System system, int size, int stalled, int payload, double rate) {
        String pad = "x".repeat(Math.max(0, payload - 40));
        long slowClosed0 = get("/api/stats").getJsonNumber("slowClosed").longValue();
        try (Room room = new Room(system, size, stalled)) {
            room.publish(WARMUP, pad, rate);
            room.latency.reset();
            long client0 = clientCpu();
            long server0 = serverCpu();
            long t0 = java.lang.System.nanoTime();
            long[] counts = room.publish(MEASURE, pad, rate);
            double seconds = (java.lang.System.nanoTime() - t0) / 1e9;
            double clientShare = (clientCpu() - client0) / 1e9 / seconds / CORES;
            double serverShare = (serverCpu() - server0) / 1e9 / seconds / CORES;
            Histogram h = room.latency.getIntervalHistogram();
            return Json.createObjectBuilder()
                    .add("system", system.name().toLowerCase(Locale.ROOT))
                    .add("roomSize", size).add("stalled", stalled).add("payloadBytes", payload)
                    .add("offeredMsgsPerSecond", rate)
                    .add("messagesPerSecond", counts[0] / seconds)
                    .add("framesPerSecond", counts[1] / seconds)
                    .add("p50Ms", h.getValueAtPercentile(50) / 1e6)
                    .add("p99Ms", h.getValueAtPercentile(99) / 1e6)
                    .add("p999Ms", h.getValueAtPercentile(99.9) / 1e6)
                    .add("generatorCpuShare", clientShare)
                    .add("serverCpuShare", serverShare)
                    .add("slowConsumersClosed", get("/api/stats").getJsonNumber("slowClosed").longValue() - slowClosed0)
                    .build();
        }
    }

    /** Runs both systems ROUNDS times, alternating, and keeps the better of each (the runs' noise is one-sided). */
    private JsonObject[] pair(String scenario, int size, int stalled, int payload, double[] rate) {
        JsonObject best[] = new JsonObject[2];
        for (int round = 0; round < ROUNDS; round++) {
            for (System system : System.values()) {
                JsonObject r = run(system, size, stalled, payload, rate[system.ordinal()]);
                int i = system.ordinal();
                if (best[i] == null || r.getJsonNumber("framesPerSecond").doubleValue()
                        > best[i].getJsonNumber("framesPerSecond").doubleValue()) {
                    best[i] = r;
                }
            }
        }
        for (JsonObject r : best) {
            results.add(Json.createObjectBuilder(r).add("scenario", scenario).build());
        }
        return best;
    }

    private void memory(int connections) {
        String[][] targets = {{"bare", "/probe/bare"}, {"switchboard", "/probe/member/mem-"},
            {"baseline", "/baseline/mem-"}};
        for (String[] target : targets) {
            JsonObject before = get("/api/probe/heap");
            List<CompletableFuture<LoadClients.Client>> opening = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                String path = target[1].endsWith("-") ? target[1] + (i % 100) : target[1];
                opening.add(CLIENTS.open(path, true, text -> { }));
                if (i % 250 == 249) {
                    opening.get(i).join();
                }
            }
            List<LoadClients.Client> open = opening.stream().map(CompletableFuture::join).toList();
            JsonObject after = get("/api/probe/heap");
            double heap = (after.getJsonNumber("used").doubleValue() - before.getJsonNumber("used").doubleValue())
                    / connections;
            double rss = (after.getJsonNumber("rss").doubleValue() - before.getJsonNumber("rss").doubleValue())
                    / connections;
            results.add(Json.createObjectBuilder().add("scenario", "memory").add("system", target[0])
                    .add("connections", connections).add("heapBytesPerConnection", heap)
                    .add("rssBytesPerConnection", rss).build());
            open.stream().map(LoadClients.Client::abort).toList().forEach(f -> f.syncUninterruptibly());
        }
    }

    @Test
    void fanOutAgainstTheHandWrittenBaseline() throws IOException {
        int[] sizes = {1, 10, 100, 1000};
        int[] payloads = {100, 4096};
        double[] baselineMax = new double[sizes.length];
        for (int s = 0; s < sizes.length; s++) {
            for (int payload : payloads) {
                JsonObject[] r = pair("throughput", sizes[s], 0, payload, new double[] {0, 0});
                if (payload == 100) {
                    baselineMax[s] = r[System.BASELINE.ordinal()].getJsonNumber("messagesPerSecond").doubleValue();
                }
            }
        }
        for (int s = 2; s < sizes.length; s++) { // latency at half the baseline's maximum, rooms of 100 and 1,000
            double half = baselineMax[s] / 2;
            pair("latency", sizes[s], 0, 100, new double[] {half, half});
        }
        int isolationRoom = QUICK ? 200 : 1000;
        pair("isolation-reference", isolationRoom, 0, 4096, new double[] {0, 0});
        pair("isolation", isolationRoom, isolationRoom / 100, 4096, new double[] {0, 0});
        for (int n : QUICK ? new int[] {500, 1000} : new int[] {1000, 5000, 10000}) {
            memory(n);
        }
        report();
        assertThat(results).isNotEmpty();
    }

    private void report() throws IOException {
        JsonArrayBuilder all = Json.createArrayBuilder();
        results.forEach(all::add);
        String liberty = Files.readAllLines(Path.of("target/liberty/wlp/lib/versions/openliberty.properties"))
                .stream().filter(l -> l.startsWith("com.ibm.websphere.productVersion")).findFirst().orElse("?");
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 2)).orElse("?");
        JsonObject machine = Json.createObjectBuilder().add("cores", CORES).add("cpu", cpu)
                .add("jdk", java.lang.System.getProperty("java.vm.name") + " " + java.lang.System.getProperty("java.version"))
                .add("liberty", liberty.substring(liberty.indexOf('=') + 1)).add("quick", QUICK)
                .add("generator", "Netty " + io.netty.util.Version.identify().values().iterator().next().artifactVersion()
                        + (io.netty.channel.epoll.Epoll.isAvailable() ? " epoll" : " nio") + ", in the test JVM")
                .add("handshakesRetried", CLIENTS.retried()).build();
        JsonObject document = Json.createObjectBuilder().add("machine", machine).add("results", all).build();
        Files.createDirectories(Path.of("target/bench"));
        Files.writeString(Path.of("target/bench/results.json"), document.toString());

        StringBuilder table = new StringBuilder("\n== Switchboard vs hand-written baseline (" + (QUICK ? "quick" : "full")
                + ") on " + CORES + " cores, " + cpu + ", " + machine.getString("jdk") + ", Liberty "
                + liberty.substring(liberty.indexOf('=') + 1) + "; generator " + machine.getString("generator")
                + " (handshakes retried: " + CLIENTS.retried() + ")\n");
        table.append(String.format("%-20s %6s %7s %6s | %12s %12s %6s | %8s %8s | %9s %9s | %5s%n", "scenario", "room",
                "payload", "stall", "sb frames/s", "base fr/s", "ratio", "sb p99", "base p99", "gen cpu", "srv cpu",
                "sb closed"));
        for (int i = 0; i + 1 < results.size(); i++) {
            JsonObject a = results.get(i);
            JsonObject b = results.get(i + 1);
            if (!a.containsKey("framesPerSecond") || !"switchboard".equals(a.getString("system"))) {
                continue;
            }
            double fa = a.getJsonNumber("framesPerSecond").doubleValue();
            double fb = b.getJsonNumber("framesPerSecond").doubleValue();
            table.append(String.format("%-20s %6d %7d %6d | %12.0f %12.0f %6.2f | %8.2f %8.2f | %4.0f/%-4.0f %4.0f/%-4.0f | %5d%n",
                    a.getString("scenario"), a.getInt("roomSize"), a.getInt("payloadBytes"), a.getInt("stalled"), fa,
                    fb, fb > 0 ? fa / fb : Double.POSITIVE_INFINITY, a.getJsonNumber("p99Ms").doubleValue(),
                    b.getJsonNumber("p99Ms").doubleValue(), 100 * a.getJsonNumber("generatorCpuShare").doubleValue(),
                    100 * b.getJsonNumber("generatorCpuShare").doubleValue(),
                    100 * a.getJsonNumber("serverCpuShare").doubleValue(),
                    100 * b.getJsonNumber("serverCpuShare").doubleValue(), a.getInt("slowConsumersClosed")));
        }
        table.append(String.format("%n%-12s %12s %22s %22s%n", "memory", "connections", "heap B/conn (after GC)",
                "RSS B/conn"));
        for (JsonObject r : results) {
            if ("memory".equals(r.getString("scenario"))) {
                table.append(String.format("%-12s %12d %22.0f %22.0f%n", r.getString("system"), r.getInt("connections"),
                        r.getJsonNumber("heapBytesPerConnection").doubleValue(),
                        r.getJsonNumber("rssBytesPerConnection").doubleValue()));
            }
        }
        java.lang.System.out.println(table);
        Files.writeString(Path.of("target/bench/results.txt"), table);
    }
}
