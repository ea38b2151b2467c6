package dev.switchboard.connections.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.SwitchboardException;
import dev.switchboard.connections.OutboxFullException;
import dev.switchboard.connections.Overflow;
import dev.switchboard.connections.SlowConsumerException;
import jakarta.websocket.CloseReason;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class OutboxTest {

    /** Keeps every send's handler; the test decides when a write completes. Never completing = a stalled client. */
    static final class HeldTransport implements Outbox.Transport {
        final List<String> sent = Collections.synchronizedList(new ArrayList<>());
        final List<SendHandler> handlers = new CopyOnWriteArrayList<>();
        final AtomicReference<String> aborted = new AtomicReference<>();
        final AtomicReference<CloseReason.CloseCode> abortCode = new AtomicReference<>();
        volatile boolean inline;

        @Override
        public void send(String text, SendHandler handler) {
            sent.add(text);
            if (inline) {
                handler.onResult(new SendResult());
            } else {
                handlers.add(handler);
            }
        }

        @Override
        public void abort(CloseReason.CloseCode code, String reason) {
            abortCode.set(code);
            aborted.set(reason);
        }

        void complete(int index) {
            handlers.get(index).onResult(new SendResult());
        }
    }

    private static Frame frame(String text) {
        return Frame.of(text);
    }

    private final List<Throwable> results = Collections.synchronizedList(new ArrayList<>());

    private FrameCallback record() {
        return results::add;
    }

    @Test
    void framesAreWrittenInOfferOrderWithOneInFlight() {
        HeldTransport transport = new HeldTransport();
        Outbox outbox = new Outbox("c1", transport, 100, 1_000_000);
        for (int i = 0; i < 5; i++) {
            outbox.offer(frame("m" + i), record(), Overflow.DROP_NEWEST);
        }
        for (int i = 0; i < 5; i++) {
            assertThat(transport.sent).as("frames on the wire before write %d completes", i).hasSize(i + 1);
            transport.complete(i);
        }
        assertThat(transport.sent).containsExactly("m0", "m1", "m2", "m3", "m4");
        assertThat(results).hasSize(5).containsOnlyNulls();
        assertThat(outbox.size()).isZero();
    }

    @Test
    void stalledConnectionFillsToTheMessageBoundThenRefusesQuotingIt() {
        HeldTransport stalled = new HeldTransport(); // never completes a write
        Outbox outbox = new Outbox("c1", stalled, 3, 1_000_000);
        for (int i = 0; i < 6; i++) {
            outbox.offer(frame("m" + i), record(), Overflow.DROP_NEWEST); // returns although nothing is ever written
        }
        assertThat(stalled.sent).containsExactly("m0");
        assertThat(outbox.size()).isEqualTo(3);
        assertThat(results).hasSize(2).allSatisfy(e -> assertThat(e).isInstanceOf(OutboxFullException.class)
                .hasMessageContaining("holds 3 messages").hasMessageContaining("max-messages is 3"));
    }

    @Test
    void byteBoundCountsUtf8BytesAndRefusesQuotingIt() {
        HeldTransport stalled = new HeldTransport();
        Outbox outbox = new Outbox("c1", stalled, 100, 10);
        outbox.offer(frame("in-flight"), record(), Overflow.DROP_NEWEST);
        outbox.offer(frame("éé"), record(), Overflow.DROP_NEWEST); // 4 bytes
        outbox.offer(frame("ab€"), record(), Overflow.DROP_NEWEST); // 5 bytes: 9 in all
        outbox.offer(frame("xy"), record(), Overflow.DROP_NEWEST); // 11 > 10
        assertThat(outbox.bytes()).isEqualTo(9);
        assertThat(results).singleElement().isInstanceOf(OutboxFullException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains("holds 9 bytes", "has 2", "max-bytes is 10"));
    }

    @Test
    void writesThatCompleteInlineDoNotGrowTheStack() {
        HeldTransport transport = new HeldTransport();
        int n = 100_000;
        Outbox outbox = new Outbox("c1", transport, n, Long.MAX_VALUE);
        outbox.offer(frame("first"), record(), Overflow.DROP_NEWEST);
        for (int i = 0; i < n; i++) {
            outbox.offer(frame("m" + i), record(), Overflow.DROP_NEWEST);
        }
        transport.inline = true; // from now on every write completes on the sender's stack
        transport.complete(0);
        assertThat(transport.sent).hasSize(n + 1);
        assertThat(transport.sent.get(n)).isEqualTo("m" + (n - 1));
        assertThat(results).hasSize(n + 1).containsOnlyNulls();
    }

    @Test
    void concurrentOffersKeepEachSendersOrderAndNeverOverlapWrites() throws Exception {
        int threads = 8;
        int perThread = 5_000;
        ExecutorService network = Executors.newFixedThreadPool(2);
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        List<String> wire = Collections.synchronizedList(new ArrayList<>());
        Outbox.Transport transport = new Outbox.Transport() {
            @Override
            public void send(String text, SendHandler handler) {
                maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                wire.add(text);
                network.execute(() -> {
                    inFlight.decrementAndGet();
                    handler.onResult(new SendResult());
                });
            }

            @Override
            public void abort(CloseReason.CloseCode code, String reason) {
            }
        };
        Outbox outbox = new Outbox("c1", transport, threads * perThread, Long.MAX_VALUE);
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch written = new CountDownLatch(threads * perThread);
        ExecutorService senders = Executors.newFixedThreadPool(threads);
        for (int t = 0; t < threads; t++) {
            int thread = t;
            senders.execute(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                for (int i = 0; i < perThread; i++) {
                    outbox.offer(frame(thread + ":" + i), failure -> written.countDown(), Overflow.DROP_NEWEST);
                }
            });
        }
        start.countDown();
        assertThat(written.await(30, TimeUnit.SECONDS)).as("every frame written").isTrue();
        senders.shutdown();
        network.shutdown();
        assertThat(maxInFlight.get()).isEqualTo(1);
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
        Outbox outbox = new Outbox("c7", transport, 100, 1_000_000);
        for (int i = 0; i < 3; i++) {
            outbox.offer(frame("m" + i), record(), Overflow.DROP_NEWEST);
        }
        transport.handlers.get(0).onResult(new SendResult(new IOException("broken pipe")));
        assertThat(results).hasSize(3).allSatisfy(e -> assertThat(e).isInstanceOf(SwitchboardException.class)
                .hasMessageContaining("c7").hasMessageContaining("broken pipe"));
        assertThat(transport.aborted.get()).contains("broken pipe");
        outbox.offer(frame("late"), record(), Overflow.DROP_NEWEST);
        assertThat(results).hasSize(4);
        assertThat(transport.sent).containsExactly("m0");
    }

    @Test
    void closeFailsTheFrameInFlightAndQueuedFramesOnceAndRefusesLaterOnes() {
        HeldTransport stalled = new HeldTransport();
        Outbox outbox = new Outbox("c1", stalled, 100, 1_000_000);
        outbox.offer(frame("a"), record(), Overflow.DROP_NEWEST);
        outbox.offer(frame("b"), record(), Overflow.DROP_NEWEST);
        SwitchboardException closed = new SwitchboardException("connection c1 is closed");
        outbox.close(closed);
        outbox.close(new SwitchboardException("again"));
        outbox.offer(frame("c"), record(), Overflow.DROP_NEWEST);
        assertThat(results).hasSize(3).startsWith(closed, closed); // a in flight, b queued
        assertThat(results.get(2)).hasCause(closed).hasMessageContaining("is closed"); // c, late
        stalled.complete(0);
        assertThat(results).hasSize(3);
        assertThat(outbox.size()).isZero();
        assertThat(outbox.bytes()).isZero();
    }

    @Test
    void dropOldestDiscardsTheOldestQueuedMessageToMakeRoom() {
        HeldTransport stalled = new HeldTransport();
        Outbox outbox = new Outbox("c1", stalled, 2, 1_000_000);
        List<String> outcome = Collections.synchronizedList(new ArrayList<>());
        for (String m : List.of("m0", "m1", "m2", "m3")) {
            outbox.offer(frame(m), failure -> outcome.add(m + "=" + (failure == null ? "ok"
                    : ((OutboxFullException) failure).overflow())), Overflow.DROP_OLDEST);
        }
        // m0 is in flight; m1 was the oldest queued when m3 came
        assertThat(outcome).containsExactly("m1=DROP_OLDEST");
        stalled.complete(0);
        stalled.complete(1);
        stalled.complete(2);
        assertThat(stalled.sent).containsExactly("m0", "m2", "m3");
        assertThat(outcome).containsExactly("m1=DROP_OLDEST", "m0=ok", "m2=ok", "m3=ok");
    }

    @Test
    void closePolicyFailsEverythingAndClosesWith1013NamingTheLimitAndTheValueSeen() {
        HeldTransport stalled = new HeldTransport();
        Outbox outbox = new Outbox("c9", stalled, 2, 1_000_000);
        for (int i = 0; i < 4; i++) {
            outbox.offer(frame("m" + i), record(), Overflow.CLOSE);
        }
        assertThat(stalled.abortCode.get()).isEqualTo(CloseReason.CloseCodes.TRY_AGAIN_LATER);
        assertThat(stalled.aborted.get()).contains("holds 2 messages").contains("max-messages is 2");
        // the refused one, then the in-flight one and the two queued ones, each told once
        assertThat(results).hasSize(4);
        assertThat(results.get(0)).isInstanceOf(OutboxFullException.class);
        String reason = stalled.aborted.get();
        stalled.aborted.set(null);
        outbox.offer(frame("late"), record(), Overflow.CLOSE);
        assertThat(results).hasSize(5);
        assertThat(results.get(4)).isNotInstanceOf(OutboxFullException.class).hasMessageContaining("is closed");
        assertThat(stalled.aborted.get()).as("closed once, not again for a later message").isNull();
        assertThat(reason).isNotNull();
        stalled.complete(0); // the write ends after all: its callback was already told
        assertThat(results).hasSize(5);
    }

    @Test
    void replayedFramesDoNotCountAgainstTheBounds() {
        HeldTransport stalled = new HeldTransport();
        Outbox outbox = new Outbox("c1", stalled, 2, 1_000_000);
        for (int i = 0; i < 50; i++) {
            outbox.replay(frame("h" + i), record());
        }
        outbox.offer(frame("live1"), record(), Overflow.CLOSE);
        outbox.offer(frame("live2"), record(), Overflow.CLOSE);
        assertThat(stalled.aborted.get()).isNull();
        assertThat(outbox.size()).isEqualTo(2);
        for (int i = 0; i < 52; i++) {
            stalled.complete(i);
        }
        assertThat(stalled.sent).hasSize(52).endsWith("live1", "live2");
        assertThat(results).hasSize(52).containsOnlyNulls();
    }

    @Test
    void aWriteStuckPastTheTimeoutEndsTheConnectionAndFailsItsFramesOnce() {
        HeldTransport stalled = new HeldTransport();
        Outbox outbox = new Outbox("c3", stalled, 100, 1_000_000);
        outbox.offer(frame("a"), record(), Overflow.CLOSE);
        outbox.offer(frame("b"), record(), Overflow.CLOSE);
        long now = System.nanoTime();
        long timeout = TimeUnit.MILLISECONDS.toNanos(3_000);
        assertThat(outbox.expireIfStuck(now, timeout)).as("not stuck yet").isFalse();
        assertThat(outbox.expireIfStuck(now + timeout + 1, timeout)).isTrue();
        assertThat(outbox.expireIfStuck(now + timeout + 2, timeout)).as("only once").isFalse();
        assertThat(results).hasSize(2).allSatisfy(e -> assertThat(e).isInstanceOf(SlowConsumerException.class)
                .hasMessageContaining("send-timeout-ms is 3000"));
        assertThat(stalled.abortCode.get()).isEqualTo(CloseReason.CloseCodes.TRY_AGAIN_LATER);
    }

    @Test
    void whenDrainedCompletesOnceTheLastFrameIsWritten() {
        HeldTransport transport = new HeldTransport();
        Outbox outbox = new Outbox("c1", transport, 100, 1_000_000);
        assertThat(outbox.whenDrained().toCompletableFuture()).isDone();
        outbox.offer(frame("a"), record(), Overflow.CLOSE);
        outbox.offer(frame("b"), record(), Overflow.CLOSE);
        CompletableFuture<Void> drained = outbox.whenDrained().toCompletableFuture();
        transport.complete(0);
        assertThat(drained).isNotDone();
        transport.complete(1);
        assertThat(drained).isDone();
    }
}
