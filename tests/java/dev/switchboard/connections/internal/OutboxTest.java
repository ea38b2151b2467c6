package dev.switchboard.connections.internal;

import dev.switchboard.internal.delivery.Frame;
import dev.switchboard.internal.delivery.FrameCallback;
import dev.switchboard.internal.delivery.Deferred;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.SwitchboardException;
import dev.switchboard.connections.OutboxFullException;
import dev.switchboard.connections.Overflow;
import dev.switchboard.connections.SlowConsumerException;
import jakarta.websocket.CloseReason;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The outbox with real sender threads ({@link SendPool}) and a transport whose writes the test lets through. */
class OutboxTest {

    private static final Duration BOUND = Duration.ofSeconds(10);

    /** Records each write, then blocks it until the test releases it. Never releasing = a stalled client. */
    static final class HeldTransport implements Outbox.Transport {
        final List<String> sent = Collections.synchronizedList(new ArrayList<>());
        final Semaphore permits = new Semaphore(0);
        final AtomicReference<String> aborted = new AtomicReference<>();
        final AtomicReference<CloseReason.CloseCode> abortCode = new AtomicReference<>();
        volatile IOException failNext;

        @Override
        public void write(String text) throws IOException {
            sent.add(text);
            IOException failure = failNext;
            if (failure != null) {
                throw failure;
            }
            permits.acquireUninterruptibly();
        }

        @Override
        public void abort(CloseReason.CloseCode code, String reason) {
            abortCode.set(code);
            aborted.set(reason);
        }

        void release(int writes) {
            permits.release(writes);
        }

        void awaitSent(int count) {
            await().atMost(BOUND).until(() -> sent.size() >= count);
            assertThat(sent).hasSize(count);
        }
    }

    private final SendPool pool = new SendPool(2, Executors.defaultThreadFactory(), Runnable::run);
    private final List<Throwable> results = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void stop() {
        pool.shutdown();
    }

    private static Frame frame(String text) {
        return Frame.of(text);
    }

    private FrameCallback record() {
        return (connection, failure) -> results.add(failure);
    }

    /** @return an outbox whose first frame ({@code first}) is being written, held by {@code transport} */
    private Outbox writing(HeldTransport transport, String owner, int maxMessages, long maxBytes, String first,
            Overflow overflow) {
        Outbox outbox = Outbox.open(owner, transport, pool, maxMessages, maxBytes);
        outbox.offer(frame(first), record(), overflow, null, Deferred.NOW);
        transport.awaitSent(1);
        return outbox;
    }

    private void awaitResults(int count) {
        await().atMost(BOUND).until(() -> results.size() >= count);
        assertThat(results).hasSize(count);
    }

    @Test
    void framesAreWrittenInOfferOrderOneAtATime() {
        HeldTransport transport = new HeldTransport();
        Outbox outbox = Outbox.open("c1", transport, pool, 100, 1_000_000);
        for (int i = 0; i < 5; i++) {
            outbox.offer(frame("m" + i), record(), Overflow.DROP_NEWEST, null, Deferred.NOW);
        }
        for (int i = 0; i < 5; i++) {
            transport.awaitSent(i + 1); // the next write does not start before this one is let through
            transport.release(1);
        }
        assertThat(transport.sent).containsExactly("m0", "m1", "m2", "m3", "m4");
        awaitResults(5);
        assertThat(results).containsOnlyNulls();
        assertThat(outbox.size()).isZero();
    }

    @Test
    void stalledConnectionFillsToTheMessageBoundThenRefusesQuotingIt() {
        HeldTransport stalled = new HeldTransport(); // never lets a write through
        Outbox outbox = writing(stalled, "c1", 3, 1_000_000, "m0", Overflow.DROP_NEWEST);
        for (int i = 1; i < 6; i++) {
            outbox.offer(frame("m" + i), record(), Overflow.DROP_NEWEST, null, Deferred.NOW); // returns although nothing is written
        }
        assertThat(stalled.sent).containsExactly("m0");
        assertThat(outbox.size()).isEqualTo(3);
        assertThat(results).hasSize(2).allSatisfy(e -> assertThat(e).isInstanceOf(OutboxFullException.class)
                .hasMessageContaining("3 messages waiting").hasMessageContaining("max-messages is 3"));
        stalled.release(100);
    }

    @Test
    void byteBoundCountsUtf8BytesAndRefusesQuotingIt() {
        HeldTransport stalled = new HeldTransport();
        Outbox outbox = writing(stalled, "c1", 100, 10, "in-flight", Overflow.DROP_NEWEST);
        outbox.offer(frame("éé"), record(), Overflow.DROP_NEWEST, null, Deferred.NOW); // 4 bytes
        outbox.offer(frame("ab€"), record(), Overflow.DROP_NEWEST, null, Deferred.NOW); // 5 bytes: 9 in all
        outbox.offer(frame("xy"), record(), Overflow.DROP_NEWEST, null, Deferred.NOW); // 11 > 10
        assertThat(outbox.bytes()).isEqualTo(9);
        assertThat(results).singleElement().isInstanceOf(OutboxFullException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains("9 bytes waiting", "next message has 2", "max-bytes is 10"));
        stalled.release(100);
    }

    @Test
    void aBusyOutboxYieldsItsSenderAfterABatch() {
        SendPool one = new SendPool(1, Executors.defaultThreadFactory(), Runnable::run);
        try {
            List<String> wire = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch gate = new CountDownLatch(1);
            Outbox.Transport transport = new Outbox.Transport() {
                @Override
                public void write(String text) {
                    wire.add(text);
                    try {
                        gate.await(); // holds the single sender until every frame is queued
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }

                @Override
                public void abort(CloseReason.CloseCode code, String reason) {
                }
            };
            Outbox busy = Outbox.open("busy", transport, one, 10_000, Long.MAX_VALUE);
            Outbox quiet = Outbox.open("quiet", transport, one, 10_000, Long.MAX_VALUE);
            for (int i = 0; i < 1_000; i++) {
                busy.offer(frame("b" + i), record(), Overflow.CLOSE, null, Deferred.NOW);
            }
            quiet.offer(frame("q"), record(), Overflow.CLOSE, null, Deferred.NOW);
            gate.countDown();
            awaitResults(1_001);
            assertThat(wire).hasSize(1_001);
            assertThat(wire.indexOf("q")).as("the quiet outbox waits one batch, not the whole busy queue")
                    .isEqualTo(Outbox.BATCH);
        } finally {
            one.shutdown();
        }
    }

    @Test
    void concurrentOffersKeepEachSendersOrderAndNeverOverlapWrites() throws Exception {
        int threads = 8;
        int perThread = 2 * Integer.getInteger("switchboard.test.rounds", 2_500); // mutation testing runs fewer
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        List<String> wire = Collections.synchronizedList(new ArrayList<>());
        Outbox.Transport transport = new Outbox.Transport() {
            @Override
            public void write(String text) {
                maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                wire.add(text);
                inFlight.decrementAndGet();
            }

            @Override
            public void abort(CloseReason.CloseCode code, String reason) {
            }
        };
        Outbox outbox = Outbox.open("c1", transport, pool, threads * perThread, Long.MAX_VALUE);
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch written = new CountDownLatch(threads * perThread);
        ExecutorService offering = Executors.newFixedThreadPool(threads);
        for (int t = 0; t < threads; t++) {
            int thread = t;
            offering.execute(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                for (int i = 0; i < perThread; i++) {
                    outbox.offer(frame(thread + ":" + i), (c, failure) -> written.countDown(), Overflow.DROP_NEWEST, null, Deferred.NOW);
                }
            });
        }
        start.countDown();
        assertThat(written.await(30, TimeUnit.SECONDS)).as("every frame written").isTrue();
        offering.shutdown();
        assertThat(maxInFlight.get()).as("one sender at a time per outbox, though the pool has two").isEqualTo(1);
        assertThat(wire).hasSize(threads * perThread);
        Map<String, Integer> last = new ConcurrentHashMap<>();
        for (String text : wire) {
            String[] parts = text.split(":");
            int previous = last.getOrDefault(parts[0], -1);
            assertThat(Integer.parseInt(parts[1])).as("order of sender " + parts[0]).isEqualTo(previous + 1);
            last.put(parts[0], previous + 1);
        }
    }

    @Test
    void failedWriteFailsEverythingQueuedAndAbortsTheConnection() {
        HeldTransport transport = new HeldTransport();
        Outbox outbox = writing(transport, "c7", 100, 1_000_000, "m0", Overflow.DROP_NEWEST);
        transport.failNext = new IOException("broken pipe");
        outbox.offer(frame("m1"), record(), Overflow.DROP_NEWEST, null, Deferred.NOW);
        outbox.offer(frame("m2"), record(), Overflow.DROP_NEWEST, null, Deferred.NOW);
        transport.release(1); // m0 written; m1 fails
        awaitResults(3);
        assertThat(results.get(0)).isNull();
        assertThat(results.subList(1, 3)).allSatisfy(e -> assertThat(e).isInstanceOf(SwitchboardException.class)
                .hasMessageContaining("c7").hasMessageContaining("broken pipe"));
        assertThat(transport.aborted.get()).contains("broken pipe");
        outbox.offer(frame("late"), record(), Overflow.DROP_NEWEST, null, Deferred.NOW);
        assertThat(results).hasSize(4);
        assertThat(transport.sent).containsExactly("m0", "m1");
    }

    @Test
    void closeFailsTheFrameInFlightAndQueuedFramesOnceAndRefusesLaterOnes() {
        HeldTransport stalled = new HeldTransport();
        Outbox outbox = writing(stalled, "c1", 100, 1_000_000, "a", Overflow.DROP_NEWEST);
        outbox.offer(frame("b"), record(), Overflow.DROP_NEWEST, null, Deferred.NOW);
        SwitchboardException closed = new SwitchboardException("connection c1 is closed");
        assertThat(outbox.close(closed, Deferred.NOW)).as("closed by this call").isTrue();
        assertThat(outbox.close(new SwitchboardException("again"), Deferred.NOW)).isFalse();
        outbox.offer(frame("c"), record(), Overflow.DROP_NEWEST, null, Deferred.NOW);
        assertThat(results).hasSize(3).startsWith(closed, closed); // a in flight, b queued
        assertThat(results.get(2)).hasCause(closed).hasMessageContaining("is closed"); // c, late
        CompletableFuture<Void> drained = outbox.whenDrained().toCompletableFuture();
        assertThat(drained).as("a closed outbox has nothing left to drain").isDone();
        stalled.release(1); // the write ends after all: its callback was already told
        await().atMost(BOUND).until(() -> stalled.permits.availablePermits() == 0);
        assertThat(results).hasSize(3);
        assertThat(stalled.sent).containsExactly("a");
        assertThat(outbox.size()).isZero();
        assertThat(outbox.bytes()).isZero();
    }

    @Test
    void dropOldestDiscardsTheOldestQueuedMessageToMakeRoom() {
        HeldTransport stalled = new HeldTransport();
        Outbox outbox = Outbox.open("c1", stalled, pool, 2, 1_000_000);
        List<String> outcome = Collections.synchronizedList(new ArrayList<>());
        for (String m : List.of("m0", "m1", "m2", "m3")) {
            outbox.offer(frame(m), (c, failure) -> outcome.add(m + "=" + (failure == null ? "ok"
                    : ((OutboxFullException) failure).overflow())), Overflow.DROP_OLDEST, null, Deferred.NOW);
            if (m.equals("m0")) {
                stalled.awaitSent(1);
            }
        }
        // m0 is being written; m1 was the oldest queued when m3 came
        assertThat(outcome).containsExactly("m1=DROP_OLDEST");
        stalled.release(3);
        await().atMost(BOUND).until(() -> outcome.size() == 4);
        assertThat(stalled.sent).containsExactly("m0", "m2", "m3");
        assertThat(outcome).containsExactly("m1=DROP_OLDEST", "m0=ok", "m2=ok", "m3=ok");
    }

    @Test
    void closePolicyFailsEverythingAndClosesWith1013NamingTheLimitAndTheValueSeen() {
        HeldTransport stalled = new HeldTransport();
        Outbox outbox = writing(stalled, "c9", 2, 1_000_000, "m0", Overflow.CLOSE);
        for (int i = 1; i < 4; i++) {
            outbox.offer(frame("m" + i), record(), Overflow.CLOSE, null, Deferred.NOW);
        }
        assertThat(stalled.abortCode.get()).isEqualTo(CloseReason.CloseCodes.TRY_AGAIN_LATER);
        // the close frame carries the value seen and the limit, within the 123 bytes a close reason may have
        assertThat(stalled.aborted.get()).contains("2 msgs").contains("switchboard.outbox.max-messages=2");
        assertThat(stalled.aborted.get().getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(CloseReasons.MAX_REASON_BYTES);
        // the refused one, then the one being written and the two queued ones, each told once
        assertThat(results).hasSize(4);
        assertThat(results.get(0)).isInstanceOf(OutboxFullException.class);
        stalled.aborted.set(null);
        outbox.offer(frame("late"), record(), Overflow.CLOSE, null, Deferred.NOW);
        assertThat(results).hasSize(5);
        assertThat(results.get(4)).isNotInstanceOf(OutboxFullException.class).hasMessageContaining("is closed");
        assertThat(stalled.aborted.get()).as("closed once, not again for a later message").isNull();
        stalled.release(1); // the write ends after all: its callback was already told
        await().atMost(BOUND).until(() -> stalled.permits.availablePermits() == 0);
        assertThat(results).hasSize(5);
    }

    @Test
    void aResumeIsPulledABatchAtATimeAheadOfLaterLiveFramesAndOutsideTheBounds() {
        HeldTransport stalled = new HeldTransport();
        Outbox outbox = Outbox.open("c1", stalled, pool, 2, 1_000_000);
        List<Integer> asked = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger next = new AtomicInteger();
        outbox.resume(max -> { // 150 history frames, made only when the sender asks
            asked.add(max);
            List<Frame> frames = new ArrayList<>();
            while (frames.size() < max && next.get() < 150) {
                frames.add(frame("h" + next.getAndIncrement()));
            }
            return frames;
        }, Deferred.NOW);
        stalled.awaitSent(1);
        assertThat(next.get()).as("only one batch made while the client reads nothing").isEqualTo(Outbox.BATCH);
        outbox.offer(frame("live1"), record(), Overflow.CLOSE, null, Deferred.NOW);
        outbox.offer(frame("live2"), record(), Overflow.CLOSE, null, Deferred.NOW);
        assertThat(stalled.aborted.get()).as("history does not count against the bound of 2").isNull();
        stalled.release(152);
        awaitResults(2);
        stalled.awaitSent(152);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            expected.add("h" + i);
        }
        expected.add("live1");
        expected.add("live2");
        assertThat(stalled.sent).containsExactlyElementsOf(expected);
        assertThat(asked).allMatch(max -> max == Outbox.BATCH);
        assertThat(results).containsOnlyNulls();
    }

    @Test
    void aWriteStuckPastTheTimeoutEndsTheConnectionAndFailsItsFramesOnce() {
        HeldTransport stalled = new HeldTransport();
        Outbox outbox = writing(stalled, "c3", 100, 1_000_000, "a", Overflow.CLOSE);
        outbox.offer(frame("b"), record(), Overflow.CLOSE, null, Deferred.NOW);
        long timeout = TimeUnit.MILLISECONDS.toNanos(3_000);
        pool.watch(System.nanoTime() + timeout + 1, timeout); // the watchdog's close runs inline here (Runnable::run)
        pool.watch(System.nanoTime() + timeout + 2, timeout);
        assertThat(results).as("each frame told once").hasSize(2).allSatisfy(e -> assertThat(e)
                .isInstanceOf(SlowConsumerException.class).hasMessageContaining("send-timeout-ms is 3000"));
        assertThat(stalled.abortCode.get()).isEqualTo(CloseReason.CloseCodes.TRY_AGAIN_LATER);
        assertThat(stalled.aborted.get()).contains("switchboard.outbox.send-timeout-ms=3000");
        assertThat(outbox.isOpen()).isFalse();
        stalled.release(1);
    }

    @Test
    void theWatchdogEndsWritesPastTheTimeout() {
        HeldTransport stalled = new HeldTransport();
        Outbox outbox = writing(stalled, "c4", 100, 1_000_000, "a", Overflow.CLOSE);
        long timeout = TimeUnit.MILLISECONDS.toNanos(500);
        pool.watch(System.nanoTime() + timeout, timeout);
        assertThat(results).singleElement().isInstanceOf(SlowConsumerException.class);
        assertThat(stalled.abortCode.get()).isEqualTo(CloseReason.CloseCodes.TRY_AGAIN_LATER);
        stalled.release(1);
    }

    @Test
    void aStalledWriteGetsASenderAddedSoOtherConnectionsKeepGoing() {
        SendPool one = new SendPool(1, Executors.defaultThreadFactory(), Runnable::run);
        try {
            HeldTransport stalled = new HeldTransport();
            HeldTransport healthy = new HeldTransport();
            healthy.release(1_000);
            Outbox slow = Outbox.open("slow", stalled, one, 100, 1_000_000);
            Outbox fast = Outbox.open("fast", healthy, one, 100, 1_000_000);
            slow.offer(frame("s"), record(), Overflow.CLOSE, null, Deferred.NOW);
            stalled.awaitSent(1); // the pool's only sender is now stuck in this write
            fast.offer(frame("f"), record(), Overflow.CLOSE, null, Deferred.NOW);
            assertThat(healthy.sent).as("queued behind the stalled write").isEmpty();
            long never = Long.MAX_VALUE / 2;
            assertThat(one.watch(System.nanoTime() + SendPool.STALL_NANOS, never)).isEqualTo(1);
            healthy.awaitSent(1);
            assertThat(one.threads()).isEqualTo(2);
            stalled.release(1);
            await().atMost(BOUND).until(() -> results.size() == 2);
            assertThat(one.watch(System.nanoTime(), never)).as("nothing stalled any more").isZero();
            await().atMost(BOUND).until(() -> one.threads() == 1); // the added sender ends once idle
        } finally {
            one.shutdown();
        }
    }

    @Test
    void addedSendersStopAtTheCapAndThePoolThenReportsItselfExhausted() {
        SendPool one = new SendPool(1, Executors.defaultThreadFactory(), Runnable::run);
        HeldTransport stalled = new HeldTransport(); // every write blocks
        try {
            int outboxes = 1 + SendPool.MAX_EXTRA + 10; // more stalled clients than the pool may ever have senders
            for (int i = 0; i < outboxes; i++) {
                Outbox.open("s" + i, stalled, one, 10, 1_000_000).offer(frame("x"), record(), Overflow.CLOSE, null, Deferred.NOW);
            }
            long never = Long.MAX_VALUE / 2;
            await().atMost(BOUND).pollInterval(Duration.ofMillis(2)).until(() -> {
                one.watch(System.nanoTime() + SendPool.STALL_NANOS, never); // each watch lets more senders in
                return one.exhausted();
            });
            assertThat(one.threads()).isEqualTo(1 + SendPool.MAX_EXTRA);
            assertThat(stalled.sent).as("one write per sender; the rest wait").hasSize(1 + SendPool.MAX_EXTRA);
        } finally {
            stalled.release(Integer.MAX_VALUE / 2);
            one.shutdown();
        }
    }

    @Test
    void whenDrainedCompletesOnceTheLastFrameIsWritten() {
        HeldTransport transport = new HeldTransport();
        Outbox outbox = Outbox.open("c1", transport, pool, 100, 1_000_000);
        assertThat(outbox.whenDrained().toCompletableFuture()).isDone();
        outbox.offer(frame("a"), record(), Overflow.CLOSE, null, Deferred.NOW);
        outbox.offer(frame("b"), record(), Overflow.CLOSE, null, Deferred.NOW);
        CompletableFuture<Void> drained = outbox.whenDrained().toCompletableFuture();
        transport.release(1);
        transport.awaitSent(2);
        assertThat(drained).isNotDone();
        transport.release(1);
        await().atMost(BOUND).until(drained::isDone);
    }

    @Test
    void aSenderStaysCountedAsStalledWhileItsThreadIsInsideTheWriteOfAClosedOutbox() {
        // Liberty keeps a write blocked for seconds after Switchboard closed its connection: the thread is still
        // stuck, so the sender added for it must stay, or the pool starves everyone else.
        SendPool one = new SendPool(1, Executors.defaultThreadFactory(), Runnable::run);
        try {
            HeldTransport stalled = new HeldTransport();
            HeldTransport healthy = new HeldTransport();
            healthy.release(1_000);
            Outbox slow = Outbox.open("slow", stalled, one, 100, 1_000_000);
            slow.offer(frame("s"), record(), Overflow.CLOSE, null, Deferred.NOW);
            stalled.awaitSent(1);
            slow.close(new SwitchboardException("closed as a slow consumer"), Deferred.NOW);
            long never = Long.MAX_VALUE / 2;
            assertThat(one.watch(System.nanoTime() + SendPool.STALL_NANOS, never))
                    .as("the thread is still inside the write").isEqualTo(1);
            Outbox fast = Outbox.open("fast", healthy, one, 100, 1_000_000);
            fast.offer(frame("f"), record(), Overflow.CLOSE, null, Deferred.NOW);
            healthy.awaitSent(1);
            assertThat(one.watch(System.nanoTime() + SendPool.STALL_NANOS, never)).isEqualTo(1);
            stalled.release(1);
            await().atMost(BOUND).until(() -> one.watch(System.nanoTime(), never) == 0);
        } finally {
            one.shutdown();
        }
    }

    @Test
    void dropOldestOnlyDropsFramesOfItsOwnLane() {
        HeldTransport stalled = new HeldTransport();
        Outbox outbox = Outbox.open("c1", stalled, pool, 3, 1_000_000);
        Object historyRoom = "room-with-history";
        Object dropRoom = "drop-oldest-room";
        List<String> outcome = Collections.synchronizedList(new ArrayList<>());
        FrameCallback told = (c, failure) -> { };
        outbox.offer(frame("x0"), told, Overflow.CLOSE, historyRoom, Deferred.NOW);
        stalled.awaitSent(1);
        outbox.offer(frame("h1"), (c, f) -> outcome.add("h1=" + (f == null ? "ok" : "dropped")), Overflow.CLOSE,
                historyRoom, Deferred.NOW);
        outbox.offer(frame("d1"), (c, f) -> outcome.add("d1=" + (f == null ? "ok" : "dropped")), Overflow.DROP_OLDEST,
                dropRoom, Deferred.NOW);
        outbox.offer(frame("d2"), (c, f) -> outcome.add("d2=" + (f == null ? "ok" : "dropped")), Overflow.DROP_OLDEST,
                dropRoom, Deferred.NOW);
        outbox.offer(frame("d3"), (c, f) -> outcome.add("d3=" + (f == null ? "ok" : "dropped")), Overflow.DROP_OLDEST,
                dropRoom, Deferred.NOW);
        assertThat(outcome).as("the oldest frame of the same room went, not the other room's h1")
                .containsExactly("d1=dropped");
        stalled.release(10);
        await().atMost(BOUND).until(() -> outcome.size() == 4);
        assertThat(stalled.sent).containsExactly("x0", "h1", "d2", "d3");
    }

    @Test
    void dropOldestWithNothingOfItsLaneQueuedDropsTheNewestInstead() {
        HeldTransport stalled = new HeldTransport();
        Outbox outbox = writing(stalled, "c1", 1, 1_000_000, "x0", Overflow.CLOSE);
        outbox.offer(frame("other"), record(), Overflow.CLOSE, "other-room", Deferred.NOW);
        outbox.offer(frame("mine"), record(), Overflow.DROP_OLDEST, "my-room", Deferred.NOW);
        assertThat(results).singleElement().isInstanceOf(OutboxFullException.class);
        assertThat(stalled.aborted.get()).isNull();
        stalled.release(10);
        stalled.awaitSent(2);
        assertThat(stalled.sent).containsExactly("x0", "other");
    }

    @Test
    void aFrameLargerThanTheOutboxIsRefusedAloneAndClosesNothing() {
        HeldTransport transport = new HeldTransport();
        transport.release(10);
        Outbox outbox = Outbox.open("c1", transport, pool, 100, 10);
        outbox.offer(frame("much more than ten bytes"), record(), Overflow.CLOSE, null, Deferred.NOW);
        assertThat(results).singleElement().isInstanceOf(OutboxFullException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains("larger than the outbox", "max-bytes is 10"));
        assertThat(transport.aborted.get()).isNull();
        assertThat(outbox.isOpen()).isTrue();
        outbox.offer(frame("small"), record(), Overflow.CLOSE, null, Deferred.NOW);
        transport.awaitSent(1);
    }

    @Test
    void callbacksOfRefusedEvictedAndClosedFramesWaitForTheCallersDeferred() {
        HeldTransport stalled = new HeldTransport();
        Outbox outbox = writing(stalled, "c1", 1, 1_000_000, "x0", Overflow.CLOSE);
        outbox.offer(frame("q1"), record(), Overflow.DROP_OLDEST, null, Deferred.NOW);
        Deferred later = Deferred.collect();
        outbox.offer(frame("q2"), record(), Overflow.DROP_OLDEST, null, later); // evicts q1
        outbox.offer(frame("q3"), record(), Overflow.CLOSE, null, later);       // full: closes, fails x0 and q2
        assertThat(results).as("nothing told while the caller may still hold its locks").isEmpty();
        assertThat(stalled.aborted.get()).as("nor closed").isNull();
        later.run();
        assertThat(results).hasSize(4); // q1 evicted, q3 refused, x0 and q2 failed by the close
        assertThat(stalled.abortCode.get()).isEqualTo(CloseReason.CloseCodes.TRY_AGAIN_LATER);
        stalled.release(1);
    }

    @Test
    void aTimeoutJudgedOnAWriteThatHasSinceEndedClosesNothing() {
        HeldTransport transport = new HeldTransport();
        Outbox outbox = writing(transport, "c5", 100, 1_000_000, "a", Overflow.CLOSE);
        long timeout = TimeUnit.MILLISECONDS.toNanos(500);
        outbox.expire(12345L, timeout + 1, timeout); // a write that began at another time: not the one in flight
        assertThat(outbox.isOpen()).isTrue();
        assertThat(transport.aborted.get()).isNull();
        transport.release(1);
    }

    @Test
    void aResumeSourceThatThrowsEndsTheConnectionInsteadOfLeavingItStuck() {
        HeldTransport transport = new HeldTransport();
        transport.release(10);
        Outbox outbox = Outbox.open("c6", transport, pool, 100, 1_000_000);
        outbox.resume(max -> {
            throw new IllegalStateException("history gone wrong");
        }, Deferred.NOW);
        outbox.offer(frame("live"), record(), Overflow.CLOSE, null, Deferred.NOW);
        awaitResults(1);
        assertThat(results.get(0)).isInstanceOf(SwitchboardException.class).hasMessageContaining("resume");
        assertThat(transport.abortCode.get()).isEqualTo(CloseReason.CloseCodes.UNEXPECTED_CONDITION);
        assertThat(outbox.whenDrained().toCompletableFuture()).isDone();
    }

    // Joined frames (the switchboard.batch subprotocol): what waits goes in one write, one message per line.

    @Test
    void aLoneMessageIsWrittenAtOnceAndWhatQueuesBehindAWriteGoesInOneFrameInOrder() {
        HeldTransport transport = new HeldTransport();
        Outbox outbox = Outbox.open("j1", transport, pool, 100, 1_000_000, 1_000);
        outbox.offer(frame("{\"n\":0}"), record(), Overflow.CLOSE, null, Deferred.NOW);
        transport.awaitSent(1); // not held back for company
        for (int i = 1; i <= 5; i++) {
            outbox.offer(frame("{\"n\":" + i + "}"), record(), Overflow.CLOSE, null, Deferred.NOW);
        }
        transport.release(1);
        transport.awaitSent(2);
        transport.release(1);
        assertThat(transport.sent).containsExactly("{\"n\":0}", "{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n{\"n\":4}\n{\"n\":5}");
        awaitResults(6);
        assertThat(results).as("every joined message told it was written").containsOnlyNulls();
        assertThat(outbox.size()).isZero();
        assertThat(outbox.bytes()).isZero();
    }

    @Test
    void aJoinedFrameStaysWithinItsUtf8BytesLargerMessagesGoAloneAndLineFeedsBecomeSpaces() {
        HeldTransport transport = new HeldTransport();
        Outbox joined = Outbox.open("j2", transport, pool, 100, 1_000_000, 11);
        joined.offer(frame("{\n\"h\":1}"), record(), Overflow.CLOSE, null, Deferred.NOW);
        transport.awaitSent(1);
        for (String m : List.of("aaa", "bbb", "ccc", "a", "b\nc", "dd", "0123456789ab", "éé", "ééé", "é", "aaa", "éééé")) {
            joined.offer(frame(m), record(), Overflow.CLOSE, null, Deferred.NOW);
        }
        transport.release(100);
        await().atMost(BOUND).until(() -> transport.sent.size() >= 7);
        // line feeds become spaces, alone or joined; "aaa\nbbb\nccc" is 11 bytes, the bound; a message over it goes
        // alone; "é" is 2 bytes in UTF-8: "éé\nééé" is 11, and "éééé" (8) does not fit behind "é\naaa" (counted in
        // chars, it would)
        assertThat(transport.sent).containsExactly("{ \"h\":1}", "aaa\nbbb\nccc", "a\nb c\ndd", "0123456789ab",
                "éé\nééé", "é\naaa", "éééé");
    }

    @Test
    void withoutTheSubprotocolEveryMessageIsItsOwnFrame() {
        HeldTransport transport = new HeldTransport();
        Outbox outbox = writing(transport, "j4", 100, 1_000_000, "a", Overflow.CLOSE);
        outbox.offer(frame("b"), record(), Overflow.CLOSE, null, Deferred.NOW);
        outbox.offer(frame("c"), record(), Overflow.CLOSE, null, Deferred.NOW);
        transport.release(100);
        transport.awaitSent(3);
        assertThat(transport.sent).containsExactly("a", "b", "c");
    }

    @Test
    void aJoinedFrameHoldsAtMostABatchSoOtherConnectionsGetTheirTurn() {
        HeldTransport transport = new HeldTransport();
        Outbox outbox = Outbox.open("j5", transport, pool, 1_000, 1_000_000, 1_000_000);
        outbox.offer(frame("x"), record(), Overflow.CLOSE, null, Deferred.NOW);
        transport.awaitSent(1);
        for (int i = 0; i < Outbox.BATCH + 10; i++) {
            outbox.offer(frame("y"), record(), Overflow.CLOSE, null, Deferred.NOW);
        }
        transport.release(100);
        transport.awaitSent(3);
        assertThat(transport.sent.get(1).split("\n", -1)).hasSize(Outbox.BATCH - 1); // the batch's first was "x"
        assertThat(transport.sent.get(2).split("\n", -1)).hasSize(11);
    }

    @Test
    void aClosedOutboxFailsEveryMessageOfTheJoinedFrameInFlightOnce() {
        HeldTransport stalled = new HeldTransport();
        Outbox outbox = Outbox.open("j6", stalled, pool, 100, 1_000_000, 1_000);
        outbox.offer(frame("a"), record(), Overflow.CLOSE, null, Deferred.NOW);
        stalled.awaitSent(1);
        for (int i = 0; i < 4; i++) {
            outbox.offer(frame("b" + i), record(), Overflow.CLOSE, null, Deferred.NOW);
        }
        stalled.release(1);
        stalled.awaitSent(2); // the four joined, held in flight
        assertThat(stalled.sent.get(1)).isEqualTo("b0\nb1\nb2\nb3");
        long timeout = TimeUnit.MILLISECONDS.toNanos(1_000);
        pool.watch(System.nanoTime() + timeout + 1, timeout);
        awaitResults(5);
        assertThat(results.subList(1, 5)).as("each joined message failed once").hasSize(4)
                .allSatisfy(e -> assertThat(e).isInstanceOf(SlowConsumerException.class));
        assertThat(results.get(0)).isNull();
        stalled.release(1);
    }

    @Test
    void aResumesFramesAreJoinedToo() {
        HeldTransport transport = new HeldTransport();
        Outbox outbox = Outbox.open("j7", transport, pool, 100, 1_000_000, 1_000);
        outbox.offer(frame("live0"), record(), Overflow.CLOSE, null, Deferred.NOW);
        transport.awaitSent(1);
        AtomicInteger next = new AtomicInteger();
        outbox.resume(max -> {
            List<Frame> frames = new ArrayList<>();
            while (frames.size() < max && next.get() < 3) {
                frames.add(frame("h" + next.getAndIncrement()));
            }
            return frames;
        }, Deferred.NOW);
        outbox.offer(frame("live1"), record(), Overflow.CLOSE, null, Deferred.NOW);
        transport.release(100);
        await().atMost(BOUND).until(() -> String.join("\n", transport.sent).endsWith("live1"));
        assertThat(String.join("\n", transport.sent)).isEqualTo("live0\nh0\nh1\nh2\nlive1");
        assertThat(transport.sent.get(1)).isEqualTo("h0\nh1\nh2");
    }
}
