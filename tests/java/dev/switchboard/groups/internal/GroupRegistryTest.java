package dev.switchboard.groups.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.connections.Overflow;
import dev.switchboard.internal.delivery.JsonCodec;
import dev.switchboard.internal.delivery.Member;
import dev.switchboard.connections.internal.TestConnections;
import dev.switchboard.events.RecordingEvents;
import dev.switchboard.groups.GroupPolicy;
import dev.switchboard.groups.Join;
import dev.switchboard.groups.JoinDeniedException;
import dev.switchboard.groups.JoinRequested;
import dev.switchboard.groups.Position;
import dev.switchboard.groups.SendReport;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.websocket.CloseReason;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The group registry with the module's real connections, outboxes and sender threads (only the container's session is
 * stood in for, see {@link TestConnections}): ordering, join/close races, authorization, resume under contention.
 */
class GroupRegistryTest {

    private static final Duration BOUND = Duration.ofSeconds(20);

    private final TestConnections connections = new TestConnections(2, 1 << 20);
    private final RecordingEvents events = new RecordingEvents();
    private final ExecutorService threads = Executors.newFixedThreadPool(4);

    @AfterEach
    void stop() {
        threads.shutdownNow();
        connections.close();
    }

    private GroupRegistry registry(Consumer<JoinRequested> authorization) {
        GroupRegistry registry = new GroupRegistry();
        registry.codec = new JsonCodec();
        registry.events = events;
        registry.outboxLimits = connections.limits();
        registry.settings = GroupSettings.defaults();
        registry.settings.historyTotalBytes = 1L << 30;
        registry.authorization = authorization;
        registry.init();
        return registry;
    }

    private Member open(String id) {
        return connections.open(id, events);
    }

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }

    private static JsonObject message(int n) {
        return Json.createObjectBuilder().add("n", n).build();
    }

    /** @return the offsets of the next {@code count} frames written to {@code id} */
    private List<Long> offsets(String id, int count) throws InterruptedException {
        List<Long> offsets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String frame = connections.wire(id).next(BOUND.toSeconds());
            assertThat(frame).as("frame %d of %s", i, id).isNotNull();
            offsets.add(json(frame).getJsonNumber("offset").longValue());
        }
        return offsets;
    }

    @Test
    void sendExceptReachesEveryMemberButTheOneNamedAndTakesAnOffsetAllTheSame() throws Exception {
        GroupRegistry groups = registry(r -> { });
        groups.policy("room", new GroupPolicy(Overflow.CLOSE, 100, 1 << 20));
        Member a = open("A");
        Member b = open("B");
        groups.join("room", a);
        groups.join("room", b);
        SendReport report = groups.sendExcept("room", message(1), a).toCompletableFuture()
                .get(BOUND.toSeconds(), TimeUnit.SECONDS);
        assertThat(report.recipients()).isEqualTo(1);
        assertThat(report.delivered()).isEqualTo(1);
        assertThat(offsets("B", 1)).containsExactly(1L);
        groups.send("room", message(2)).toCompletableFuture().get(BOUND.toSeconds(), TimeUnit.SECONDS);
        assertThat(offsets("A", 1)).as("A skipped offset 1: the message it sent").containsExactly(2L);
        assertThat(groups.history("room", 0)).hasSize(2);
        Member outsider = open("O");
        assertThat(groups.sendExcept("room", message(3), outsider).toCompletableFuture()
                .get(BOUND.toSeconds(), TimeUnit.SECONDS).recipients()).as("a non-member excepts nobody").isEqualTo(2);
    }

    @Test
    void aReportContinuationThatSendsToTheSameRoomDoesNotOvertakeTheSendThatCompletedIt() throws Exception {
        // A stalled member (outbox bound 2) is closed by the 4th send; the close fails its queued copies of sends 2 and
        // 3, which completes their reports. Send 2's continuation sends a notice to the room. Run under the room's
        // monitor, inside send 4's loop, the notice took offset 5 and reached B and C before 4 did.
        GroupRegistry groups = registry(r -> { });
        groups.policy("room", new GroupPolicy(Overflow.CLOSE, 100, 1 << 20));
        Member a = open("A");
        Member b = open("B");
        Member c = open("C");
        for (Member member : List.of(a, b, c)) {
            groups.join("room", member);
        }
        connections.wire("A").stall();
        groups.send("room", message(1));
        assertThat(offsets("B", 1)).containsExactly(1L);
        assertThat(offsets("C", 1)).containsExactly(1L);
        groups.send("room", message(2)).thenAccept(report -> groups.send("room", message(99)));
        groups.send("room", message(3));
        assertThat(offsets("B", 2)).containsExactly(2L, 3L);
        assertThat(offsets("C", 2)).containsExactly(2L, 3L);
        groups.send("room", message(4)); // A's outbox overflows: A is closed
        assertThat(offsets("B", 2)).as("offset order").containsExactly(4L, 5L);
        assertThat(offsets("C", 2)).as("offset order").containsExactly(4L, 5L);
        await().atMost(BOUND).until(() -> !a.isOpen());
    }

    @Test
    void aJoinThatSeesTheCloseOnlyAfterItsChecksLeavesNoGhostMember() throws Exception {
        Member[] x = new Member[1];
        // The authorization check runs between the join's first look at the connection and its taking the lock: the
        // connection closes right there, as a slow-consumer close on another thread may.
        GroupRegistry groups = registry(request -> {
            if (request.group().equals("right")) {
                x[0].close(CloseReason.CloseCodes.TRY_AGAIN_LATER, "closed while joining");
            }
        });
        x[0] = open("X");
        groups.join("left", x[0]);
        groups.join("right", x[0]);
        assertThat(x[0].isOpen()).isFalse();
        assertThat(groups.members("right")).as("a closed connection in a group").isEmpty();
        assertThat(groups.members("left")).isEmpty();
        assertThat(groups.names()).isEmpty();
        assertThat(groups.groupsOf(x[0])).isEmpty();
    }

    @Test
    void joinsRacingClosesNeverLeaveAClosedConnectionInAGroup() throws Exception {
        GroupRegistry groups = registry(r -> { });
        int rounds = Integer.getInteger("switchboard.test.rounds", 3_000); // mutation testing runs fewer
        for (int round = 0; round < rounds; round++) {
            Member x = open("X" + round);
            groups.join("home-" + round, x); // already in a group: the second join takes the existing membership
            String room = "room-" + round;
            joinWhileClosing(groups, x, room);
            assertThat(groups.members(room)).as("round %d", round).isEmpty();
            assertThat(groups.groupsOf(x)).as("round %d", round).isEmpty();
        }
        assertThat(groups.names()).isEmpty();
    }

    /** Joins {@code room} on one thread while another closes {@code x}, both let go at the same moment. */
    private void joinWhileClosing(GroupRegistry groups, Member x, String room) throws Exception {
        CyclicBarrier start = new CyclicBarrier(2);
        Future<?> joining = threads.submit(() -> {
            start.await(5, TimeUnit.SECONDS);
            return groups.join(room, x);
        });
        Future<?> closing = threads.submit(() -> {
            start.await(5, TimeUnit.SECONDS);
            x.close(CloseReason.CloseCodes.GOING_AWAY, "bye");
            return null;
        });
        joining.get(5, TimeUnit.SECONDS);
        closing.get(5, TimeUnit.SECONDS);
    }

    @Test
    void anAuthorizationCheckThatThrowsRefusesTheJoin() {
        GroupRegistry groups = registry(request -> {
            throw new IllegalStateException("no principal: " + request.connection().principal().get());
        });
        Member x = open("X");
        assertThatThrownBy(() -> groups.join("private-room", x)).isInstanceOf(JoinDeniedException.class)
                .hasMessageContaining("private-room").hasMessageContaining("authorization check failed");
        assertThat(groups.members("private-room")).isEmpty();
        assertThat(groups.groupsOf(x)).isEmpty();
    }

    @Test
    void aMessageNoOutboxCanHoldIsRefusedAndClosesNoMember() {
        GroupRegistry groups = registry(r -> { });
        Member x = open("X");
        groups.join("room", x);
        String big = "x".repeat((int) connections.limits().maxBytes());
        assertThatThrownBy(() -> groups.send("room", Json.createObjectBuilder().add("big", big).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("switchboard.outbox.max-bytes");
        assertThat(x.isOpen()).isTrue();
        assertThat(groups.info("room").orElseThrow().lastOffset()).as("no offset used").isZero();
    }

    @Test
    void resumersJoiningWhileAPublisherSendsGetEveryMessageOnceInOrder() throws Exception {
        GroupRegistry groups = registry(r -> { });
        groups.policy("room", new GroupPolicy(Overflow.CLOSE, 10_000, 1 << 24));
        TestConnections roomy = new TestConnections(100_000, 1L << 30); // members that keep up
        try {
            Member anchor = roomy.open("anchor", events);
            groups.join("room", anchor); // keeps the room (and its history) alive
            for (int i = 1; i <= 2_000; i++) {
                groups.send("room", message(i)); // history first: resumes span many batches while the publisher runs
            }
            int total = 5_000;
            Future<?> publishing = threads.submit(() -> {
                for (int i = 2_001; i <= total; i++) {
                    groups.send("room", message(i));
                }
                return null;
            });
            List<String> resumers = new ArrayList<>();
            for (int r = 0; r < 6; r++) {
                long since = groups.info("room").orElseThrow().lastOffset() - 1_500; // many batches back
                String epoch = groups.info("room").orElseThrow().epoch();
                String id = "resumer-" + r;
                groups.join("room", roomy.open(id, events), Join.FRESH.resumingFrom(new Position(epoch, since)));
                resumers.add(id + ":" + since);
            }
            publishing.get(60, TimeUnit.SECONDS);
            for (String resumer : resumers) {
                String id = resumer.split(":")[0];
                long since = Long.parseLong(resumer.split(":")[1]);
                for (long expected = since + 1; expected <= total; expected++) {
                    String frame = roomy.wire(id).next(BOUND.toSeconds());
                    assertThat(frame).as("%s waiting for %d", id, expected).isNotNull();
                    assertThat(json(frame).getJsonNumber("offset").longValue()).as(id).isEqualTo(expected);
                }
                assertThat(roomy.wire(id).frames).as("nothing twice").isEmpty();
            }
        } finally {
            roomy.close();
        }
    }

    @Test
    void aResumeWhoseMessagesWereEvictedBeforeItsSenderGotThereIsToldWithAReset() throws Exception {
        GroupRegistry groups = registry(r -> { });
        groups.policy("room", new GroupPolicy(Overflow.CLOSE, 10, 1 << 20));
        TestConnections roomy = new TestConnections(1_000, 1L << 30);
        try {
            groups.join("room", roomy.open("anchor", events));
            for (int i = 1; i <= 10; i++) {
                groups.send("room", message(i));
            }
            String epoch = groups.info("room").orElseThrow().epoch();
            Member blocker = roomy.open("late", events);
            roomy.wire("late").stall(); // its sender cannot get to the history yet
            blocker.send(message(0)); // the frame that holds its sender
            groups.join("room", blocker, Join.FRESH.resumingFrom(new Position(epoch, 2)));
            for (int i = 11; i <= 25; i++) {
                groups.send("room", message(i)); // evicts 3..15 from a history of 10
            }
            roomy.wire("late").resume();
            assertThat(json(roomy.wire("late").next(20)).getInt("n")).isZero();
            JsonObject reset = json(roomy.wire("late").next(20));
            assertThat(reset.getString("type")).isEqualTo("reset");
            long from = reset.getJsonNumber("offset").longValue();
            assertThat(from).as("everything it can still get follows the reset").isEqualTo(10);
            for (long expected = from + 1; expected <= 25; expected++) {
                assertThat(json(roomy.wire("late").next(20)).getJsonNumber("offset").longValue()).isEqualTo(expected);
            }
        } finally {
            roomy.close();
        }
    }

    @Test
    void aSendReportCountsTheMembersThatDidNotGetIt() throws Exception {
        GroupRegistry groups = registry(r -> { });
        Member a = open("A");
        Member b = open("B");
        groups.join("room", a);
        groups.join("room", b);
        connections.wire("A").stall();
        groups.send("room", message(1));
        assertThat(connections.wire("B").next(20)).isNotNull();
        groups.send("room", message(2));
        assertThat(connections.wire("B").next(20)).isNotNull(); // B keeps up: only A's outbox (bound 2) fills
        groups.send("room", message(3));
        assertThat(connections.wire("B").next(20)).isNotNull();
        SendReport overflowing = groups.send("room", message(4)).toCompletableFuture().get(20, TimeUnit.SECONDS);
        assertThat(overflowing.delivered()).isEqualTo(1);
        assertThat(overflowing.failures()).singleElement().satisfies(f -> {
            assertThat(f.connectionId()).isEqualTo("A");
            assertThat(f.reason()).isEqualTo(SendReport.Reason.SLOW_CONSUMER);
            assertThat(f.detail()).contains("max-messages is 2");
        });
        assertThat(groups.totals().dropped()).isEqualTo(4); // 1 (in flight), 2 and 3 failed by the close; 4 refused
        await().atMost(BOUND).until(() -> groups.members("room").size() == 1); // the close runs on the closer
        CompletableFuture<SendReport> after = groups.send("room", message(5)).toCompletableFuture();
        assertThat(after.get(20, TimeUnit.SECONDS).recipients()).as("A is gone").isEqualTo(1);
    }

    @Test
    void aMemberThatLeavesBeforeItsSenderReachesTheHistoryIsToldWithOneResetBeforeTheLiveMessages() throws Exception {
        GroupRegistry groups = registry(r -> { });
        groups.policy("room", new GroupPolicy(Overflow.CLOSE, 100, 1 << 20));
        TestConnections roomy = new TestConnections(1_000, 1L << 30);
        try {
            groups.join("room", roomy.open("anchor", events));
            for (int i = 1; i <= 10; i++) {
                groups.send("room", message(i));
            }
            String epoch = groups.info("room").orElseThrow().epoch();
            Member x = roomy.open("X", events);
            roomy.wire("X").stall();
            x.send(message(0)); // holds X's sender
            groups.join("room", x, Join.FRESH.resumingFrom(new Position(epoch, 2)));
            groups.send("room", message(11)); // queued live behind the resume
            groups.leave("room", x);
            roomy.wire("X").resume();
            assertThat(json(roomy.wire("X").next(20)).getInt("n")).isZero();
            // no silent gap before 11, and no history for a connection that is no longer a member: one reset to 10
            JsonObject reset = json(roomy.wire("X").next(20));
            assertThat(reset.getString("type")).isEqualTo("reset");
            assertThat(reset.getString("group")).isEqualTo("room");
            assertThat(reset.getJsonNumber("offset").longValue()).isEqualTo(10);
            assertThat(json(roomy.wire("X").next(20)).getJsonNumber("offset").longValue()).isEqualTo(11);
            assertThat(roomy.wire("X").next(1)).isNull();
        } finally {
            roomy.close();
        }
    }

    @Test
    void roomsFilledOnceAndLeftIdleDoNotTakeTheHistoryOfTheRoomInUse() throws Exception {
        GroupRegistry groups = registry(r -> { });
        groups.historyBudget = new History.Budget(18_000); // the demo's shape, scaled down: 16 rooms' worth
        groups.policy("", new GroupPolicy(Overflow.CLOSE, 10_000, 1_000_000));
        TestConnections roomy = new TestConnections(100_000, 1L << 30);
        try {
            String pad = "y".repeat(100);
            for (int room = 0; room < 17; room++) {
                groups.join("idle-" + room, roomy.open("idle-" + room, events));
                for (int i = 0; i < 30; i++) {
                    groups.send("idle-" + room, Json.createObjectBuilder().add("pad", pad).build());
                }
            }
            groups.join("busy", roomy.open("busy", events));
            for (int i = 0; i < 200; i++) {
                groups.send("busy", Json.createObjectBuilder().add("pad", pad).build());
            }
            long share = 18_000 / 18;
            assertThat(groups.info("busy").orElseThrow().historyBytes()).as("the busy room keeps its share")
                    .isGreaterThan(share / 2);
            assertThat(groups.historyBudget.used()).isLessThanOrEqualTo(18_000 + 200);
        } finally {
            roomy.close();
        }
    }

    @Test
    void groupsThatGoGiveTheirHistoryBytesBack() {
        GroupRegistry groups = registry(r -> { });
        groups.policy("", new GroupPolicy(Overflow.CLOSE, 100, 1 << 20));
        Member x = open("X");
        groups.join("a", x);
        groups.join("b", x);
        groups.send("a", message(1));
        groups.send("b", message(2));
        assertThat(groups.historyBudget.used()).isPositive();
        x.close(CloseReason.CloseCodes.NORMAL_CLOSURE, "bye");
        assertThat(groups.names()).isEmpty();
        assertThat(groups.historyBudget.used()).isZero();
    }

    @Test
    void aConnectionsMembershipEventsReachObserversInTheOrderOfTheChanges() throws Exception {
        GroupRegistry groups = registry(r -> { });
        for (int round = 0; round < Integer.getInteger("switchboard.test.rounds", 2_000); round++) {
            Member x = open("E" + round);
            String room = "ordered-" + round;
            joinWhileClosing(groups, x, room);
            List<String> seen = new ArrayList<>();
            for (Object e : events.emitted) {
                if (e instanceof dev.switchboard.groups.MemberJoined j && j.group().equals(room)) {
                    seen.add("joined");
                } else if (e instanceof dev.switchboard.groups.MemberLeft l && l.group().equals(room)) {
                    seen.add("left");
                }
            }
            assertThat(seen).as("round %d", round).isIn(List.of(), List.of("joined", "left"));
        }
    }

    @Test
    void joiningWithAResumeAndLeavingOverAndOverCostsOneFrameEachNotTheHistory() throws Exception {
        GroupRegistry groups = registry(r -> { });
        groups.policy("room", new GroupPolicy(Overflow.CLOSE, 1_000, 1 << 24));
        TestConnections roomy = new TestConnections(1_000, 1L << 30);
        try {
            groups.join("room", roomy.open("anchor", events));
            for (int i = 1; i <= 500; i++) {
                groups.send("room", message(i));
            }
            String epoch = groups.info("room").orElseThrow().epoch();
            Member x = roomy.open("X", events);
            roomy.wire("X").stall();
            x.send(message(0)); // holds X's sender while it joins and leaves
            for (int round = 0; round < 100; round++) {
                groups.join("room", x, Join.FRESH.resumingFrom(new Position(epoch, 0)));
                groups.leave("room", x);
            }
            roomy.wire("X").resume();
            assertThat(json(roomy.wire("X").next(20)).getInt("n")).isZero();
            int frames = 0;
            while (roomy.wire("X").next(1) != null) {
                frames++;
            }
            assertThat(frames).as("one reset per abandoned resume, not 500 messages each").isEqualTo(100);
        } finally {
            roomy.close();
        }
    }
}
