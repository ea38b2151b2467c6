package dev.switchboard.it.checker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.it.Server;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Randomized schedules against real Liberty servers, judged afterwards by {@link DeliveryChecks}: several rooms with
 * mixed policies (the demo's rooms: CLOSE with history; relay rooms with DROP_OLDEST and history, or CLOSE without),
 * publishers at mixed rates and sizes, and members that read steadily, pause reading for seconds, drop their
 * connection and resume with {@code ?since=&epoch=}, leave and come back, or never read. Every frame every client
 * receives is recorded. On several servers each connection goes to the next server in turn, so a room's members are
 * on all of them and a resume is on another server than the one left ({@code DeliveryCheckerIT} runs it on one server,
 * {@code ClusterDeliveryCheckerIT} on two joined through Redis).
 *
 * <p>Runs schedules for a number of minutes; each prints its seed, and {@code -Dchecker.seed=<seed>} replays that one
 * schedule (the same plan; the servers' timing is their own).
 */
public final class DeliveryChecker {

    /** One server: its HTTP and WebSocket bases, e.g. {@code http://localhost:9080}, {@code ws://localhost:9080}. */
    public record Node(String http, String ws) {
    }

    private static final String PAD = "x".repeat(4096);
    private final List<CheckerClient> clients = Collections.synchronizedList(new ArrayList<>());
    private final List<Node> nodes;
    private final AtomicLong connects = new AtomicLong();

    /** @param nodes the servers: one, or several serving the same groups */
    public DeliveryChecker(List<Node> nodes) {
        this.nodes = List.copyOf(nodes);
    }

    /** A room of a schedule: where clients connect, and what the checker may expect of it. */
    private record Room(String name, String group, String path, boolean history, boolean closeOnOverflow) {
    }

    /**
     * Runs schedules for {@code minutes} (or the one of {@code -Dchecker.seed}), failing at the first that breaks a
     * promise.
     */
    public void run(double minutes) throws Exception {
        for (Node node : nodes) {
            Server.postAt(node.http(), "/api/probe/policy?prefix=chkdo-&overflow=DROP_OLDEST&history=500", "");
            Server.postAt(node.http(), "/api/probe/policy?prefix=chkcn-&overflow=CLOSE&history=0", "");
        }
        String replay = System.getProperty("checker.seed", "");
        long deadline = System.nanoTime() + (long) (minutes * 60e9);
        Random seeds = new Random();
        int schedules = 0;
        long connections = 0;
        long frames = 0;
        do {
            long seed = replay.isEmpty() ? seeds.nextLong() : Long.parseLong(replay);
            System.out.println("checker: schedule " + (schedules + 1) + ", seed " + seed
                    + " (replay with -Dchecker.seed=" + seed + ")");
            Map<String, String> last = new HashMap<>();
            List<Session> sessions = run(seed, last);
            schedules++;
            connections += sessions.size();
            for (Session s : sessions) {
                frames += s.frames.size();
            }
            List<String> violations = DeliveryChecks.check(sessions, last);
            assertThat(violations).as("seed " + seed + " (-Dchecker.seed=" + seed + " replays its plan; the server's "
                    + "timing is its own)").isEmpty();
        } while (replay.isEmpty() && System.nanoTime() < deadline);
        System.out.println("checker: " + schedules + " schedules, " + connections + " connections, " + frames
                + " frames checked (" + CheckerClient.joinedFrames() + " joined frames among them), no violation");
        if (replay.isEmpty()) { // half the clients ask for joined frames: the checks above covered them
            assertThat(CheckerClient.joinedFrames()).as("frames that joined several messages").isPositive();
        }
    }

    private Map<String, String> lastOffsets(List<Session> sessions) {
        Map<String, String> last = new HashMap<>();
        for (Session s : sessions) {
            if (s.history && !last.containsKey(s.room)) {
                JsonObject info = latest(s.room);
                if (info != null) {
                    last.put(s.room, info.getJsonObject("history").getJsonNumber("lastOffset").longValue() + "@"
                            + info.getString("epoch"));
                }
            }
        }
        return last;
    }

    /** @return the room as the server furthest along sees it, with every server's members; null if none has it */
    private JsonObject latest(String room) {
        JsonObject latest = null;
        int members = 0;
        for (Node node : nodes) {
            Server.Reply info = Server.getAt(node.http(), "/api/groups/" + room);
            if (info.status() == 200) {
                JsonObject json = info.json();
                members += json.getJsonArray("members").size();
                if (latest == null || json.getJsonObject("history").getJsonNumber("lastOffset").longValue()
                        > latest.getJsonObject("history").getJsonNumber("lastOffset").longValue()) {
                    latest = json;
                }
            }
        }
        return latest == null ? null : jakarta.json.Json.createObjectBuilder(latest).add("memberCount", members)
                .build();
    }

    /** Runs one schedule and returns every connection's history. */
    private List<Session> run(long seed, Map<String, String> lastOffsets) throws Exception {
        Random random = new Random(seed);
        String tag = Long.toHexString(seed & 0xffffffL);
        ScheduledExecutorService timers = Executors.newScheduledThreadPool(4);
        List<Session> sessions = Collections.synchronizedList(new ArrayList<>());
        List<Runnable> atEnd = Collections.synchronizedList(new ArrayList<>());
        clients.clear();
        AtomicBoolean running = new AtomicBoolean(true);
        int rooms = 2 + random.nextInt(2);
        List<Room> plan = new ArrayList<>();
        for (int r = 0; r < rooms; r++) {
            int kind = random.nextInt(5);
            String name = "chk" + tag + "r" + r;
            plan.add(switch (kind) {
                case 0 -> new Room(name, "chkdo-" + name, "/probe/relay/chkdo-" + name, true, false);
                case 1 -> new Room(name, "chkcn-" + name, "/probe/relay/chkcn-" + name, false, true);
                default -> new Room(name, "chat_" + name, "/chat/" + name, true, true);
            });
        }
        try {
            for (Room room : plan) {
                // The anchor reads steadily from first to last: it keeps the room, and its history, alive.
                member(room, "anchor", Session.Role.STEADY, sessions, atEnd, random, timers, running, false, false);
                int members = 2 + random.nextInt(4);
                for (int m = 0; m < members; m++) {
                    int behaviour = random.nextInt(room.history() ? 5 : 4);
                    switch (behaviour) {
                        case 0 -> member(room, "steady" + m, Session.Role.STEADY, sessions, atEnd, random, timers,
                                running, false, false);
                        case 1 -> member(room, "pauser" + m, Session.Role.PAUSER, sessions, atEnd, random, timers,
                                running, false, false);
                        case 2 -> member(room, "churner" + m, Session.Role.STEADY, sessions, atEnd, random, timers,
                                running, true, false);
                        case 3 -> member(room, "stalled" + m, Session.Role.STALLED, sessions, atEnd, random, timers,
                                running, false, false);
                        default -> member(room, "resumer" + m, Session.Role.STEADY, sessions, atEnd, random, timers,
                                running, false, true);
                    }
                }
                int publishers = 1 + random.nextInt(2);
                for (int p = 0; p < publishers; p++) {
                    publisher(room, "pub" + p + tag, sessions, random, timers, running);
                }
            }
            long seconds = 6 + random.nextInt(7);
            timers.schedule(() -> running.set(false), seconds, TimeUnit.SECONDS).get(seconds + 30, TimeUnit.SECONDS);
            atEnd.forEach(Runnable::run); // pausers read again; stalled clients go
            quiesce(plan, sessions);
            synchronized (sessions) {
                for (Session s : sessions) {
                    synchronized (s) {
                        s.openAtEnd = s.openToTheEnd();
                        s.framesAtEnd = s.frames.size();
                    }
                }
            }
            lastOffsets.putAll(lastOffsets(sessions)); // before the clients go: their leaving moves the offsets
        } finally {
            running.set(false);
            timers.shutdownNow();
            timers.awaitTermination(10, TimeUnit.SECONDS);
        }
        clients.forEach(CheckerClient::close); // the next schedule runs alone: a seed replays one plan in isolation
        return List.copyOf(sessions);
    }

    private void member(Room room, String name, Session.Role role, List<Session> sessions, List<Runnable> atEnd,
            Random random, ScheduledExecutorService timers, AtomicBoolean running, boolean churns, boolean resumes) {
        CheckerClient[] current = {connect(room, name, role, -1, null, sessions)};
        if (role == Session.Role.PAUSER) {
            long every = 1_000 + random.nextInt(2_000);
            long pause = 300 + random.nextInt(2_200);
            timers.scheduleWithFixedDelay(() -> {
                if (running.get()) {
                    current[0].pause();
                    timers.schedule(current[0]::resume, pause, TimeUnit.MILLISECONDS);
                }
            }, every, every + pause, TimeUnit.MILLISECONDS);
            atEnd.add(() -> current[0].resume());
        }
        if (role == Session.Role.STALLED) {
            atEnd.add(() -> current[0].abort());
        }
        if (churns || resumes) {
            long every = 1_000 + random.nextInt(3_000);
            timers.scheduleWithFixedDelay(() -> {
                if (!running.get()) {
                    return;
                }
                CheckerClient old = current[0];
                if (churns) {
                    old.close();
                    current[0] = connect(room, name, role, -1, null, sessions);
                } else {
                    old.abort();
                    String[] at = old.lastPosition();
                    if (at == null && old.session.resumedAfter >= 0) { // got nothing: resume where it asked to
                        at = new String[] {String.valueOf(old.session.resumedAfter), old.session.resumedEpoch};
                    }
                    current[0] = at == null ? connect(room, name, role, -1, null, sessions)
                            : connect(room, name, role, Long.parseLong(at[0]), at[1], sessions);
                }
            }, every, every, TimeUnit.MILLISECONDS);
        }
    }

    private void publisher(Room room, String name, List<Session> sessions, Random random,
            ScheduledExecutorService timers, AtomicBoolean running) {
        CheckerClient client = connect(room, name, Session.Role.PUBLISHER, -1, null, sessions);
        int rate = 10 + random.nextInt(70);
        String pad = PAD.substring(0, random.nextBoolean() ? 20 : 200 + random.nextInt(3_800));
        AtomicLong seq = new AtomicLong();
        timers.scheduleAtFixedRate(() -> {
            if (running.get() && client.isOpen()) {
                try {
                    client.publish(seq.incrementAndGet(), pad);
                } catch (RuntimeException e) { // not sent: not owed to anyone; this publisher stops
                    client.publishFailed(seq.get(), e);
                }
            }
        }, 100, 1_000_000 / rate, TimeUnit.MICROSECONDS);
    }

    private CheckerClient connect(Room room, String name, Session.Role role, long since, String epoch,
            List<Session> sessions) {
        Session session = new Session(name, room.group(), room.history(), room.closeOnOverflow(), role, since, epoch);
        synchronized (sessions) {
            for (Session p : sessions) { // what each publisher had sent before this opened is not owed to it
                if (p.room.equals(room.group()) && p.role == Session.Role.PUBLISHER) {
                    synchronized (p) {
                        session.publishedBefore.merge(p.client,
                                p.published.isEmpty() ? 0L : p.published.get(p.published.size() - 1), Math::max);
                    }
                }
            }
            sessions.add(session);
        }
        String path = room.path() + (since < 0 ? "" : "?since=" + since + "&epoch=" + epoch);
        Node node = nodes.get((int) (connects.getAndIncrement() % nodes.size())); // each connection the next server
        CheckerClient client = CheckerClient.open(node.ws() + path, session);
        clients.add(client);
        return client;
    }

    // Waits (bounded) until every connection still owed messages has them all: the last offset of its room. One that
    // never gets there is a violation the checks report with its numbers.
    private void quiesce(List<Room> plan, List<Session> sessions) {
        for (Room room : plan) {
            if (!room.closeOnOverflow()) {
                continue;
            }
            try {
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                        .until(() -> caughtUp(room, sessions));
            } catch (ConditionTimeoutException e) {
                System.out.println("checker: room " + room.group() + " did not quiesce within 30 s");
            }
        }
    }

    private boolean caughtUp(Room room, List<Session> sessions) {
        JsonObject info = latest(room.group());
        if (info == null) {
            return true;
        }
        long last = info.getJsonObject("history").getJsonNumber("lastOffset").longValue();
        int members = info.getInt("memberCount");
        synchronized (sessions) {
            long open = sessions.stream().filter(s -> s.room.equals(room.group()) && s.openToTheEnd()
                    && s.role != Session.Role.STALLED).count();
            if (members != open) {
                return false; // connections the checker ended have not left yet: their presence frames would follow
            }
            for (Session s : sessions) {
                if (!s.room.equals(room.group()) || !s.openToTheEnd() || s.role == Session.Role.STALLED) {
                    continue;
                }
                if (room.history() && lastOffset(s) < last) {
                    return false;
                }
                for (Session p : sessions) { // every open publisher's last message, also in rooms without offsets
                    if (p.room.equals(s.room) && p.role == Session.Role.PUBLISHER && p.openToTheEnd()
                            && !hasLast(s, p)) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    private static boolean hasLast(Session reader, Session publisher) {
        long last;
        synchronized (publisher) {
            if (publisher.published.isEmpty()) {
                return true;
            }
            last = publisher.published.get(publisher.published.size() - 1);
        }
        if (last <= reader.publishedBefore.getOrDefault(publisher.client, 0L) + DeliveryChecks.JOIN_WINDOW) {
            return !got(reader, publisher.client) || gotUpTo(reader, publisher.client) >= last;
        }
        synchronized (reader) {
            for (int i = reader.frames.size() - 1; i >= 0; i--) {
                Session.Message m = reader.frames.get(i).message();
                if (m != null && m.publisher().equals(publisher.client)) {
                    return m.seq() >= last;
                }
            }
        }
        return false;
    }

    private static boolean got(Session reader, String publisher) {
        return gotUpTo(reader, publisher) >= 0;
    }

    private static long gotUpTo(Session reader, String publisher) {
        synchronized (reader) {
            for (int i = reader.frames.size() - 1; i >= 0; i--) {
                Session.Message m = reader.frames.get(i).message();
                if (m != null && m.publisher().equals(publisher)) {
                    return m.seq();
                }
            }
        }
        return -1;
    }

    private static long lastOffset(Session s) {
        synchronized (s) {
            for (int i = s.frames.size() - 1; i >= 0; i--) {
                if (s.frames.get(i).message() != null) {
                    return s.frames.get(i).message().offset();
                }
            }
        }
        return -1;
    }
}
