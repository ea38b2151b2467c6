package dev.switchboard.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real redis-server (Debian's package; .ci/run installs it) on a loopback port of its own, in a directory of its
 * own. Without persistence unless asked: {@code --save "" --appendonly no}, the mode in which a restart starts new
 * epochs. Every wait is bounded.
 */
public final class RedisProcess implements AutoCloseable {

    private final int port;
    private final Path dir;
    private final List<String> options;
    private Process process;

    private RedisProcess(int port, Path dir, List<String> options) {
        this.port = port;
        this.dir = dir;
        this.options = options;
    }

    /** Starts one on a free port with {@code options} (e.g. {@code "--save", "60 1"}) after the defaults. */
    public static RedisProcess run(String... options) {
        try {
            RedisProcess redis = new RedisProcess(freePort(), Files.createTempDirectory("redis"), List.of(options));
            redis.start();
            return redis;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return a free loopback port, for a Redis that is not there (yet) */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A Redis to start later on {@code port}: {@link #start()}. */
    public static RedisProcess onPort(int port, String... options) {
        try {
            return new RedisProcess(port, Files.createTempDirectory("redis"), List.of(options));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** Starts it (again, after {@link #kill()}: same port, directory and options) and waits until it answers. */
    public synchronized void start() {
        List<String> command = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--dir", dir.toString(), "--save", "", "--appendonly", "no"));
        command.addAll(options);
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis.log").toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start redis-server: install Debian's redis-server package "
                    + "(apt-get install redis-server; .ci/run does it)", e);
        }
        try {
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)) // until it listens
                    .until(this::answers);
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("redis-server did not answer PING within 20 s: " + log(), e);
        }
    }

    private boolean answers() {
        if (!process.isAlive()) {
            throw new IllegalStateException("redis-server exited: " + log());
        }
        try {
            return "+PONG".equals(command("PING"));
        } catch (IOException e) {
            return false; // not listening yet
        }
    }

    /** {@code kill -9}: no shutdown, no save. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("redis-server did not die within 20 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * Sends one command (space-separated words, none with a space) and reads one reply line: enough for PING,
     * CLIENT KILL, SAVE, CONFIG SET, and integer or simple replies.
     */
    public String command(String command) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(10_000);
            String[] words = command.split(" ");
            StringBuilder resp = new StringBuilder("*" + words.length + "\r\n");
            for (String word : words) {
                resp.append('$').append(word.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(word)
                        .append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(resp.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) != -1 && c != '\r') {
                line.append((char) c);
            }
            return line.toString();
        }
    }

    /** @return the reply to {@code command}, failing the test on an I/O error */
    public String call(String command) {
        try {
            return command(command);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("redis.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        kill();
    }
}
