package dev.switchboard.it.probe;

import dev.switchboard.connections.Connections;
import dev.switchboard.events.Events;
import dev.switchboard.once.internal.OnceLedger;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

/** Test-only HTTP door into the server: fires probe events and reads what the probes saw. */
@RequestScoped
@Path("/probe")
@Produces(MediaType.APPLICATION_JSON)
public class ProbeResource {

    @Inject
    Events events;

    @Inject
    Probe probe;

    @Inject
    Connections connections;

    @Inject
    OnceLedger ledger;

    @Inject
    OnceProbes.RaceObserver race;

    @Inject
    Instance<OnceProbes.DependentGreeter> greeters;

    @Inject
    OnceProbes.Flaky flaky;

    @Inject
    OnceProbes.Misplaced misplaced;

    @Inject
    dev.switchboard.groups.Groups groups;

    @Inject
    dev.switchboard.connections.internal.ConnectionRegistry registry;

    /** @return how many HTTP sessions the application has made since it started */
    @GET
    @Path("/sessions")
    public JsonObject sessions() {
        return Json.createObjectBuilder().add("created", SessionCount.CREATED.get()).build();
    }

    /** Emits a {@link Ping}, sync or async, in namespace {@code ns} (none if absent); returns what was recorded. */
    @POST
    @Path("/emit")
    public JsonObject emit(@QueryParam("id") String id, @QueryParam("ns") String ns,
            @QueryParam("async") boolean async, @QueryParam("fail") boolean fail) {
        Events target = ns == null ? events : events.namespace(ns);
        Ping ping = new Ping(id, fail);
        if (async) {
            target.emitAsync(ping).toCompletableFuture().join();
        } else {
            target.emit(ping);
        }
        return records(id);
    }

    @POST
    @Path("/loop")
    public JsonObject loop(@QueryParam("id") String id) {
        events.emit(new PingObservers.Loop(id));
        return records(id);
    }

    @GET
    @Path("/records")
    public JsonObject records(@QueryParam("id") String id) {
        JsonArrayBuilder list = Json.createArrayBuilder();
        probe.records(id).forEach(list::add);
        return Json.createObjectBuilder().add("records", list).build();
    }

    /** Fires {@link OnceProbes.Race} from {@code threads} threads released together. */
    @POST
    @Path("/once/race")
    public JsonObject race(@QueryParam("threads") int threads) throws Exception {
        CyclicBarrier barrier = new CyclicBarrier(threads);
        CountDownLatch othersReturned = new CountDownLatch(threads - 1);
        OnceProbes.Race event = new OnceProbes.Race(othersReturned);
        List<Thread> all = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                try {
                    barrier.await(20, TimeUnit.SECONDS);
                    events.emit(event);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                } finally {
                    othersReturned.countDown();
                }
            });
            all.add(t);
            t.start();
        }
        for (Thread t : all) {
            t.join(TimeUnit.SECONDS.toMillis(30));
        }
        return Json.createObjectBuilder().add("runs", race.runs())
                .add("sawOthersReturn", race.sawOthersReturn()).build();
    }

    @POST
    @Path("/once/dependent")
    public JsonObject dependent() {
        OnceProbes.DependentGreeter a = greeters.get();
        OnceProbes.DependentGreeter b = greeters.get();
        a.greet();
        b.greet();
        a.greet();
        return Json.createObjectBuilder().add("distinct", a != b)
                .add("runs", OnceProbes.DependentGreeter.RUNS.get()).build();
    }

    @POST
    @Path("/once/flaky")
    public JsonObject flaky() {
        JsonArrayBuilder results = Json.createArrayBuilder();
        for (int i = 0; i < 3; i++) {
            try {
                results.add(flaky.attempt());
            } catch (IllegalStateException e) {
                results.add("threw: " + e.getMessage());
            }
        }
        return Json.createObjectBuilder().add("results", results).add("runs", flaky.runs()).build();
    }

    @POST
    @Path("/once/misplaced")
    public JsonObject misplaced() {
        try {
            misplaced.noConnection("x");
            return Json.createObjectBuilder().add("error", "none").build();
        } catch (IllegalStateException e) {
            return Json.createObjectBuilder().add("error", e.getMessage()).build();
        }
    }

    /** Sends {@code count} messages of about {@code size} bytes to {@code group}; returns the reports' sums. */
    @POST
    @Path("/send")
    public JsonObject send(@QueryParam("group") String group, @QueryParam("from") int from,
            @QueryParam("count") int count, @QueryParam("size") int size) {
        String fill = "x".repeat(size);
        List<java.util.concurrent.CompletableFuture<dev.switchboard.groups.SendReport>> reports = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            reports.add(groups.send(group, Json.createObjectBuilder().add("seq", from + i).add("fill", fill).build())
                    .toCompletableFuture());
        }
        int delivered = 0;
        int failed = 0;
        for (var report : reports) {
            dev.switchboard.groups.SendReport r = report.join();
            delivered += r.delivered();
            failed += r.failures().size();
        }
        return Json.createObjectBuilder().add("delivered", delivered).add("failed", failed).build();
    }

    /** Sends {@code count} messages like {@link #send} but returns at once, without waiting for the reports. */
    @POST
    @Path("/send-async")
    public JsonObject sendAsync(@QueryParam("group") String group, @QueryParam("from") int from,
            @QueryParam("count") int count, @QueryParam("size") int size) {
        String fill = "x".repeat(size);
        for (int i = 0; i < count; i++) {
            groups.send(group, Json.createObjectBuilder().add("seq", from + i).add("fill", fill).build());
        }
        return Json.createObjectBuilder().add("queued", count).build();
    }

    /** Closes every member of {@code group} with 1000 from this request's thread; returns once the closes are started. */
    @POST
    @Path("/close-group")
    public JsonObject closeGroup(@QueryParam("group") String group) {
        int closed = 0;
        for (dev.switchboard.connections.Connection member : groups.members(group)) {
            member.close(jakarta.websocket.CloseReason.CloseCodes.NORMAL_CLOSURE, "closed by the probe");
            closed++;
        }
        return Json.createObjectBuilder().add("closed", closed).build();
    }

    /** @return how many members {@code group} has now (0 if it has none, and then it does not exist) */
    @GET
    @Path("/members")
    public JsonObject members(@QueryParam("group") String group) {
        return Json.createObjectBuilder().add("members", groups.members(group).size()).build();
    }

    /** @return the fewest live frames waiting in the outbox of any member of {@code group} (-1 if it has none) */
    @GET
    @Path("/queued")
    public JsonObject queued(@QueryParam("group") String group) {
        int fewest = groups.members(group).stream()
                .mapToInt(c -> dev.switchboard.internal.delivery.Member.of(c).queuedFrames())
                .min().orElse(-1);
        return Json.createObjectBuilder().add("fewest", fewest).build();
    }

    /** Sets a group policy for names starting with {@code prefix}. */
    @POST
    @Path("/policy")
    public JsonObject policy(@QueryParam("prefix") String prefix, @QueryParam("overflow") String overflow,
            @QueryParam("history") int history) {
        groups.policy(prefix, new dev.switchboard.groups.GroupPolicy(
                dev.switchboard.connections.Overflow.valueOf(overflow), history, 1 << 24));
        return Json.createObjectBuilder().add("prefix", prefix).build();
    }

    /** @return heap in use after a full collection, the process's resident set and CPU time, in bytes and ns */
    @GET
    @Path("/heap")
    public JsonObject heap() {
        System.gc();
        long used = java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long rss = 0;
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            rss = -1; // not Linux: no resident set figure
        }
        long cpu = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
        return Json.createObjectBuilder().add("used", used).add("rss", rss).add("cpuNanos", cpu).build();
    }

    /**
     * @return the process's CPU time so far, in nanoseconds, and its garbage collections so far: how many and their
     *     accumulated time in ms (no collection is asked for: for measuring a run)
     */
    @GET
    @Path("/cpu")
    public JsonObject cpu() {
        long cpu = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
        GcTotals gc = GcTotals.now();
        return Json.createObjectBuilder().add("cpuNanos", cpu).add("gcCount", gc.collections())
                .add("gcMillis", gc.millis()).build();
    }

    /** Ends the pause {@code token} of a {@link PausingEndpoint} connection. */
    @POST
    @Path("/release")
    public JsonObject release(@QueryParam("token") String token) {
        PausingEndpoint.release(token);
        return Json.createObjectBuilder().add("released", token).build();
    }

    @GET
    @Path("/state")
    public JsonObject state() {
        return Json.createObjectBuilder().add("connections", connections.count())
                .add("onceConnectionScopes", ledger.connectionScopes())
                .add("senderThreads", registry.senderThreads())
                .add("stalledWrites", registry.stalledWrites()).build();
    }
}
