package dev.switchboard.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * One more Liberty server of the tests' runtime (tests/target/liberty/wlp), on ports of its own, for tests that need
 * several servers at once (ClusterIT). It is the test server's configuration (the demo's server.xml and the tests'
 * overrides) plus the variables given, with one application in dropins. Started and stopped with Liberty's own
 * {@code bin/server}; {@link #kill()} is {@code kill -9}. Every wait is bounded.
 */
public final class LibertyNode implements AutoCloseable {

    private static final Path WLP = Path.of("target/liberty/wlp").toAbsolutePath();
    private static final Path TEST_SERVER = WLP.resolve("usr/servers/test");

    private final String name;
    private final int httpPort;
    private final Path dir;

    /**
     * Lays the server out (replacing a leftover of the same name); {@link #start()} starts it.
     *
     * @param variables server.xml variables, for example {@code switchboard.cluster.redis}
     */
    public LibertyNode(String name, int httpPort, Map<String, String> variables, WebArchive app) {
        this.name = name;
        this.httpPort = httpPort;
        this.dir = WLP.resolve("usr/servers").resolve(name);
        try {
            stopQuietly();
            deleteTree(dir);
            Files.createDirectories(dir.resolve("configDropins/overrides"));
            Files.createDirectories(dir.resolve("dropins"));
            Files.copy(TEST_SERVER.resolve("server.xml"), dir.resolve("server.xml"));
            try (Stream<Path> overrides = Files.list(TEST_SERVER.resolve("configDropins/overrides"))) {
                for (Path o : overrides.toList()) {
                    Files.copy(o, dir.resolve("configDropins/overrides").resolve(o.getFileName()));
                }
            }
            StringBuilder xml = new StringBuilder("<server>\n");
            xml.append(variable("http.port", Integer.toString(httpPort)));
            xml.append(variable("https.port", Integer.toString(httpPort + 363)));
            variables.forEach((k, v) -> xml.append(variable(k, v)));
            xml.append("</server>\n");
            Files.writeString(dir.resolve("configDropins/overrides/zz-node.xml"), xml);
            app.as(ZipExporter.class).exportTo(dir.resolve("dropins/switchboard.war").toFile(), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String variable(String name, String value) {
        return "  <variable name=\"" + name + "\" value=\"" + value + "\"/>\n";
    }

    public String http() {
        return "http://localhost:" + httpPort;
    }

    public String ws() {
        return "ws://localhost:" + httpPort;
    }

    /** Starts the server and waits until the application is started. */
    public LibertyNode start() {
        Object before = logFile();
        long from = logLength();
        run(List.of(WLP.resolve("bin/server").toString(), "start", name), 180);
        // A restart rolls messages.log over: a new file is read from its start.
        awaitLog("CWWKZ0001I: Application switchboard started", java.util.Objects.equals(before, logFile()) ? from : 0,
                180);
        return this;
    }

    // The identity of messages.log (its inode): it changes when Liberty rolls the log over at a start.
    private Object logFile() {
        try {
            Path log = dir.resolve("logs/messages.log");
            return Files.exists(log) ? Files.readAttributes(log, java.nio.file.attribute.BasicFileAttributes.class)
                    .fileKey() : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code kill -9}: no shutdown at all, as a crash. */
    public void kill() {
        Path pid = WLP.resolve("usr/servers/.pid").resolve(name + ".pid");
        try {
            String id = Files.readString(pid).trim();
            run(List.of("kill", "-9", id), 30);
            ProcessHandle.of(Long.parseLong(id)).ifPresent(p -> p.onExit().orTimeout(30, TimeUnit.SECONDS).join());
        } catch (IOException e) {
            throw new UncheckedIOException("no pid file " + pid, e);
        }
    }

    /** @return messages.log as it is now */
    public String log() {
        try {
            Path log = dir.resolve("logs/messages.log");
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private long logLength() {
        return log().length();
    }

    /** Waits until {@code text} appears in messages.log after character {@code from}. */
    public void awaitLog(String text, long from, int seconds) {
        try {
            await().atMost(Duration.ofSeconds(seconds)).pollInterval(Duration.ofMillis(100)) // a file: nothing to wait on
                    .until(() -> {
                        String log = log();
                        return log.length() > from && log.indexOf(text, (int) from) >= 0;
                    });
        } catch (ConditionTimeoutException e) {
            String log = log();
            throw new AssertionError("server " + name + ": \"" + text + "\" not in messages.log within " + seconds
                    + " s; its end:\n" + log.substring(Math.max(0, log.length() - 4000)), e);
        }
    }

    private static void run(List<String> command, int seconds) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect
                    .DISCARD).start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(command + " did not end within " + seconds + " s");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void stopQuietly() {
        if (Files.exists(dir.resolve("server.xml"))) {
            run(List.of(WLP.resolve("bin/server").toString(), "stop", name), 120);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Override
    public void close() {
        stopQuietly();
    }
}
