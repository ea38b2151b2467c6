package dev.switchboard.bench;

import dev.switchboard.it.Deployments;
import dev.switchboard.it.LibertyNode;
import dev.switchboard.it.RedisProcess;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.junit.jupiter.api.Test;

/**
 * What Redis costs: a room of 1,000 (the probes' relay room: the demo's room, without its presence frames, whose
 * million announcements of a 1,000-member fill alone outran this 2-core machine with three servers) on one server
 * without Redis, on one server with Redis, and across two
 * servers with Redis (the publisher on the first, the members half on each), side by side in one run, alternating.
 * Each is measured at its maximum (the publisher keeps at most {@value #WINDOW} messages not yet received by every
 * member, as FanoutBench does) and at half of the single server's maximum, for latency (publish to receive, measured
 * by the members, on this machine's one clock). Three Liberty servers of their own (ports 9191-9193) and a
 * redis-server without persistence; writes {@code target/bench/cluster-results.json}. Run with {@code mvn -Pbench
 * verify -Dit.test=ClusterBench}.
 */
class ClusterBench {

    private static final boolean QUICK = Boolean.getBoolean("bench.quick");
    private static final Duration WARMUP = QUICK ? Duration.ofMillis(500) : Duration.ofSeconds(3);
    private static final Duration MEASURE = QUICK ? Duration.ofMillis(1500) : Duration.ofSeconds(8);
    private static final int ROUNDS = QUICK ? 1 : 2;
    private static final int ROOM = 1000;
    private static final int PAYLOAD = 100;
    private static final int WINDOW = 32;
    private static final int CORES = Runtime.getRuntime().availableProcessors();

    /** A configuration: where the members are (split evenly) and where the publisher is (the first). */
    private record Setup(String name, List<LibertyNode> members) {
    }

    private int rooms;

    @Test
    void redisCostsLittleOnOneServerAndTwoServersKeepTheirLatency() throws Exception {
        try (RedisProcess redis = RedisProcess.run(); LoadClients clients = new LoadClients(CORES)) {
            // The load generator's handshakes carry an Origin of the server's own port.
            Map<String, String> anyOrigin = Map.of("switchboard.security.allowed-origins", "*");
            Map<String, String> cluster = Map.of("switchboard.cluster.redis", redis.uri(),
                    "switchboard.security.allowed-origins", "*");
            LibertyNode single = new LibertyNode("bench-single", 9191, anyOrigin, Deployments.app());
            LibertyNode first = new LibertyNode("bench-redis-1", 9192, cluster, Deployments.app());
            LibertyNode second = new LibertyNode("bench-redis-2", 9193, cluster, Deployments.app());
            try (single; first; second) {
                CompletableFuture<?> starting = CompletableFuture.allOf(CompletableFuture.runAsync(first::start),
                        CompletableFuture.runAsync(second::start));
                single.start();
                starting.join();
                List<Setup> setups = List.of(new Setup("one server, no Redis", List.of(single)),
                        new Setup("one server, Redis", List.of(first)),
                        new Setup("two servers, Redis", List.of(first, second)));
                Map<String, JsonObject> max = new LinkedHashMap<>();
                for (int round = 0; round < ROUNDS; round++) {
                    for (Setup setup : setups) {
                        keepBetter(max, setup.name(), run(clients, setup, 0));
                    }
                }
                double half = max.get(setups.get(0).name()).getJsonNumber("messagesPerSecond").doubleValue() / 2;
                Map<String, JsonObject> paced = new LinkedHashMap<>();
                for (int round = 0; round < ROUNDS; round++) {
                    for (Setup setup : setups) {
                        keepLowerP99(paced, setup.name(), run(clients, setup, half));
                    }
                }
                report(max, paced, half);
            }
        }
    }

    // The better of the rounds: the noise of a shared 2-core machine is one-sided.
    private static void keepBetter(Map<String, JsonObject> best, String name, JsonObject r) {
        JsonObject old = best.get(name);
        if (old == null || r.getJsonNumber("framesPerSecond").doubleValue()
                > old.getJsonNumber("framesPerSecond").doubleValue()) {
            best.put(name, r);
        }
    }

    // At half load every round delivers the same rate: the better round is the one with the lower p99.
    private static void keepLowerP99(Map<String, JsonObject> best, String name, JsonObject r) {
        JsonObject old = best.get(name);
        if (old == null || r.getJsonNumber("p99Ms").doubleValue() < old.getJsonNumber("p99Ms").doubleValue()) {
            best.put(name, r);
        }
    }

    /** One member: counts room frames and records publish-to-receive latency (FanoutBench's before issue 14). */
    static final class PollingMember implements LoadClients.Receiver {
        final LongAdder frames;
        final LongAdder ready;
        final Recorder latency;
        boolean got;
        volatile long count; // written by the member's event-loop thread only
        LoadClients.Client socket;

        PollingMember(LongAdder frames, LongAdder ready, Recorder latency, boolean reading) {
            this.frames = frames;
            this.ready = ready;
            this.latency = latency;
        }

        @Override
        public void frame(io.netty.buffer.ByteBuf text) {
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
                    latency.recordValue(Math.max(0, System.nanoTime() - sent));
                    return;
                }
            }
        }
    }

    private JsonObject run(LoadClients clients, Setup setup, double rate) {
        String room = "cbench-" + (++rooms);
        LongAdder frames = new LongAdder();
        LongAdder ready = new LongAdder();
        Recorder latency = new Recorder(3);
        List<PollingMember> members = new ArrayList<>();
        List<CompletableFuture<LoadClients.Client>> opening = new ArrayList<>();
        for (int i = 0; i < ROOM; i++) {
            LibertyNode node = setup.members().get(i % setup.members().size());
            PollingMember member = new PollingMember(frames, ready, latency, true);
            members.add(member);
            opening.add(clients.open(node.ws() + "/probe/relay/" + room, true, member));
            if (opening.size() % 200 == 0) {
                opening.get(opening.size() - 1).join();
            }
        }
        for (int i = 0; i < ROOM; i++) {
            members.get(i).socket = opening.get(i).join();
        }
        PollingMember publisher = members.get(0); // on the first server
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (ready.sum() < ROOM) {
                publisher.socket.send("{\"sync\":1}").syncUninterruptibly();
                long wait = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
                while (ready.sum() < ROOM && System.nanoTime() < wait) {
                    LockSupport.parkNanos(1_000_000);
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(setup.name() + ": room never filled: " + ready.sum());
                }
            }
            String pad = "x".repeat(PAYLOAD - 40);
            publish(members, publisher, frames, WARMUP, pad, rate);
            latency.reset();
            long t0 = System.nanoTime();
            long[] counts = publish(members, publisher, frames, MEASURE, pad, rate);
            double seconds = (System.nanoTime() - t0) / 1e9;
            Histogram h = latency.getIntervalHistogram();
            JsonObject r = Json.createObjectBuilder().add("setup", setup.name()).add("roomSize", ROOM)
                    .add("payloadBytes", PAYLOAD).add("offeredMsgsPerSecond", rate)
                    .add("messagesPerSecond", counts[0] / seconds).add("framesPerSecond", counts[1] / seconds)
                    .add("p50Ms", h.getValueAtPercentile(50) / 1e6).add("p99Ms", h.getValueAtPercentile(99) / 1e6)
                    .build();
            System.out.println("cluster bench: " + r);
            return r;
        } finally {
            members.stream().map(m -> m.socket.abort()).toList().forEach(f -> f.syncUninterruptibly());
        }
    }

    private static long slowest(List<PollingMember> members) {
        long min = Long.MAX_VALUE;
        for (PollingMember m : members) {
            min = Math.min(min, m.count);
        }
        return min;
    }

    // As FanoutBench: at most WINDOW messages not yet received by every member; paced at rate if rate > 0.
    private static long[] publish(List<PollingMember> members, PollingMember publisher, LongAdder frames,
            Duration duration, String pad, double rate) {
        long sent = 0;
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        long framesAtStart = frames.sum();
        long slowestAtStart = slowest(members);
        long interval = rate > 0 ? (long) (1e9 / rate) : 0;
        while (System.nanoTime() < end) {
            if (interval > 0) {
                long due = start + sent * interval;
                while (System.nanoTime() < due) {
                    LockSupport.parkNanos(Math.min(200_000, due - System.nanoTime()));
                }
            }
            while (slowest(members) - slowestAtStart < sent - WINDOW && System.nanoTime() < end) {
                LockSupport.parkNanos(20_000);
            }
            publisher.socket.send("{\"t\":" + System.nanoTime() + ",\"pad\":\"" + pad + "\"}").syncUninterruptibly();
            sent++;
        }
        return new long[] {sent, frames.sum() - framesAtStart};
    }

    private static void report(Map<String, JsonObject> max, Map<String, JsonObject> paced, double half)
            throws IOException {
        JsonObject base = max.values().iterator().next();
        JsonObject basePaced = paced.values().iterator().next();
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "%n| setup | frames/s (max) | vs one server | p50 / p99 ms at %.0f msg/s | p99 vs one server |%n"
                        + "|---|---|---|---|---|%n", half));
        JsonArrayBuilder all = Json.createArrayBuilder();
        for (String name : max.keySet()) {
            JsonObject m = max.get(name);
            JsonObject p = paced.get(name);
            double ratio = m.getJsonNumber("framesPerSecond").doubleValue()
                    / base.getJsonNumber("framesPerSecond").doubleValue();
            double p99Ratio = p.getJsonNumber("p99Ms").doubleValue() / basePaced.getJsonNumber("p99Ms").doubleValue();
            table.append(String.format(Locale.ROOT, "| %s | %,.0f | %.2f | %.1f / %.1f | %.2f |%n", name,
                    m.getJsonNumber("framesPerSecond").doubleValue(), ratio, p.getJsonNumber("p50Ms").doubleValue(),
                    p.getJsonNumber("p99Ms").doubleValue(), p99Ratio));
            all.add(Json.createObjectBuilder(m).add("kind", "max").add("ratio", ratio));
            all.add(Json.createObjectBuilder(p).add("kind", "half-load").add("p99Ratio", p99Ratio));
        }
        System.out.println(table);
        Path out = Path.of("target/bench/cluster-results.json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, Json.createObjectBuilder().add("cores", CORES).add("results", all).build().toString());
    }
}
