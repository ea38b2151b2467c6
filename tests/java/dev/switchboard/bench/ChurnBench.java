package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.it.Deployments;
import dev.switchboard.it.Server;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Memory under a reconnect storm: {@code bench.churn.cycles} (50,000) WebSocket connect/close cycles against a bare
 * Liberty endpoint ({@code /probe/bare}) and a Switchboard one ({@code /chat/churn}), heap after a full collection
 * before and after, and the HTTP sessions the application made. Every cycle ends with the server's close seen, so
 * nothing is open when the heap is read. Prints a table and writes {@code target/bench/churn.json}. Run with {@code
 * mvn -Pbench verify -pl src,demo,tests/consumer,tests -Dit.test=ChurnBench}.
 */
@ExtendWith(ArquillianExtension.class)
class ChurnBench {

    private static final int CYCLES = Integer.getInteger("bench.churn.cycles", 50_000);
    private static final int PARALLEL = 8;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.app();
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.MINUTES) // 2 x 50,000 cycles take minutes, past the tests' 5-minute guard
    void heapAndSessionsAfterConnectCloseCycles() throws Exception {
        JsonArrayBuilder results = Json.createArrayBuilder();
        StringBuilder table = new StringBuilder(String.format("%n== %,d connect/close cycles per endpoint%n%-14s %16s %16s %14s%n",
                CYCLES, "endpoint", "heap before MB", "heap after MB", "B per cycle") );
        for (String path : new String[] {"/probe/bare", "/chat/churn?name=churn"}) {
            long sessions0 = sessions();
            long heap0 = heap();
            cycles(path);
            long heap1 = heap();
            long made = sessions() - sessions0;
            double perCycle = (heap1 - heap0) / (double) CYCLES;
            results.add(Json.createObjectBuilder().add("path", path).add("cycles", CYCLES).add("heapBefore", heap0)
                    .add("heapAfter", heap1).add("heapBytesPerCycle", perCycle).add("httpSessionsMade", made));
            table.append(String.format("%-14s %16.1f %16.1f %14.0f   HTTP sessions made: %d%n",
                    path.substring(0, path.indexOf('/', 1) > 0 ? path.indexOf('/', 1) : path.length()),
                    heap0 / 1e6, heap1 / 1e6, perCycle, made));
        }
        System.out.println(table);
        Files.createDirectories(Path.of("target/bench"));
        Files.writeString(Path.of("target/bench/churn.json"), Json.createObjectBuilder().add("results", results)
                .build().toString());
        Files.writeString(Path.of("target/bench/churn.txt"), table);
        assertThat(table).isNotEmpty();
    }

    private static void cycles(String path) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < PARALLEL; w++) {
                int share = CYCLES / PARALLEL + (w < CYCLES % PARALLEL ? 1 : 0);
                workers.add(pool.submit(() -> {
                    for (int i = 0; i < share; i++) {
                        cycle(path);
                    }
                    return null;
                }));
            }
            for (Future<?> f : workers) {
                f.get(30, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // Opens, closes, and waits for the server's close (bounded), so the server has ended the connection.
    private static void cycle(String path) throws Exception {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        WebSocket ws = Server.HTTP_CLIENT.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(20))
                .buildAsync(URI.create(Server.WS + path), new WebSocket.Listener() {
                    @Override
                    public java.util.concurrent.CompletionStage<?> onClose(WebSocket s, int code, String reason) {
                        closed.complete(null);
                        return null;
                    }

                    @Override
                    public void onError(WebSocket s, Throwable error) {
                        closed.complete(null);
                    }
                }).get(30, TimeUnit.SECONDS);
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(30, TimeUnit.SECONDS);
        ws.request(Long.MAX_VALUE); // read on to the server's close frame (and any welcome before it)
        closed.get(30, TimeUnit.SECONDS);
    }

    private static long heap() {
        return Server.get("/api/probe/heap").json().getJsonNumber("used").longValue();
    }

    private static long sessions() throws IOException {
        return Server.get("/api/probe/sessions").json().getJsonNumber("created").longValue();
    }
}
