package dev.switchboard.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A TCP relay on a loopback port to another one, that can go deaf: {@link #silence()} makes every connection open
 * now drop what the server sends (what the client sends still arrives), while staying open, as a half-open connection
 * or a stuck proxy does. Connections made later work.
 */
public final class TcpRelay implements AutoCloseable {

    private final ServerSocket server;
    private final int target;
    private final List<Link> links = new CopyOnWriteArrayList<>();

    private static final class Link {
        final Socket client;
        final Socket upstream;
        final AtomicBoolean silenced = new AtomicBoolean();

        Link(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }
    }

    public TcpRelay(int target) {
        this.target = target;
        try {
            server = new ServerSocket(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread accept = new Thread(this::accept, "relay-accept");
        accept.setDaemon(true);
        accept.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** The server's replies on every connection open now are dropped from now on; the connections stay open. */
    public void silence() {
        links.forEach(l -> l.silenced.set(true));
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket("127.0.0.1", target);
                Link link = new Link(client, upstream);
                links.add(link);
                pump(client, upstream, new AtomicBoolean());
                pump(upstream, client, link.silenced);
            } catch (IOException e) {
                // closed, or the target is down: the client sees its connection fail
            }
        }
    }

    private static void pump(Socket from, Socket to, AtomicBoolean silenced) {
        Thread pump = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (!silenced.get()) {
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // one side closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "relay-pump");
        pump.setDaemon(true);
        pump.start();
    }

    private static void closeQuietly(java.io.Closeable socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing
        }
    }

    @Override
    public void close() {
        closeQuietly(server);
        for (Link l : links) {
            closeQuietly(l.client);
            closeQuietly(l.upstream);
        }
    }
}
