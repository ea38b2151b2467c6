package dev.switchboard.connections.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.SwitchboardException;
import dev.switchboard.connections.OutboxFullException;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
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
        public void abort(String reason) {
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
            outbox.offer(frame("m" + i), record());
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
            outbox.offer(frame("m" + i), record()); // returns although nothing is ever written
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
        outbox.offer(frame("in-flight"), record());
        outbox.offer(frame("éé"), record()); // 4 bytes
        outbox.offer(frame("ab€"), record()); // 5 bytes: 9 in all
        outbox.offer(frame("xy"), record()); // 11 > 10
        assertThat(outbox.bytes()).isEqualTo(9);
        assertThat(results).singleElement().isInstanceOf(OutboxFullException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains("holds 9 bytes", "has 2", "max-bytes is 10"));
    }

    @Test
    void writesThatCompleteInlineDoNotGrowTheStack() {
        HeldTransport transport = new HeldTransport();
        int n = 100_000;
        Outbox outbox = new Outbox("c1", transport, n, Long.MAX_VALUE);
        outbox.offer(frame("first"), record());
        for (int i = 0; i < n; i++) {
            outbox.offer(frame("m" + i), record());
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
            public void abort(String reason) {
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
                    outbox.offer(frame(thread + ":" + i), failure -> written.countDown());
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
            outbox.offer(frame("m" + i), record());
        }
        transport.handlers.get(0).onResult(new SendResult(new IOException("broken pipe")));
        assertThat(results).hasSize(3).allSatisfy(e -> assertThat(e).isInstanceOf(SwitchboardException.class)
                .hasMessageContaining("c7").hasMessageContaining("broken pipe"));
        assertThat(transport.aborted.get()).contains("broken pipe");
        outbox.offer(frame("late"), record());
        assertThat(results).hasSize(4);
        assertThat(transport.sent).containsExactly("m0");
    }

    @Test
    void closeFailsQueuedFramesOnceAndRefusesLaterOnes() {
        HeldTransport stalled = new HeldTransport();
        Outbox outbox = new Outbox("c1", stalled, 100, 1_000_000);
        outbox.offer(frame("a"), record());
        outbox.offer(frame("b"), record());
        SwitchboardException closed = new SwitchboardException("connection c1 is closed");
        outbox.close(closed);
        outbox.close(new SwitchboardException("again"));
        outbox.offer(frame("c"), record());
        assertThat(results).containsExactly(closed, closed);
        assertThat(outbox.size()).isZero();
        assertThat(outbox.bytes()).isZero();
    }
}
