package dev.switchboard.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The kernel's view of this machine's TCP sockets ({@code /proc/net/tcp} and {@code tcp6}), whatever process holds
 * them: the benchmark checks with it, the same way for every server, that a stalled member's socket is full and still
 * open (the server's side: state and bytes queued to send; the client's: bytes received and not read), and that a
 * room's sockets are gone on the server's side before the next run.
 */
final class TcpSockets {

    static final int ESTABLISHED = 0x01;
    static final int TIME_WAIT = 0x06;
    static final int LISTEN = 0x0A;

    /** One socket: ports, state (the kernel's number), bytes queued to send and received but not read. */
    record Entry(int localPort, int remotePort, int state, long sendQueue, long receiveQueue) {
    }

    private TcpSockets() {
    }

    /** @return every TCP socket of the machine's network namespace, or none where /proc/net is missing */
    static List<Entry> read() {
        List<Entry> all = new ArrayList<>();
        for (String file : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of(file));
            } catch (IOException e) {
                continue;
            }
            for (int i = 1; i < lines.size(); i++) {
                String[] f = lines.get(i).trim().split("\\s+");
                if (f.length < 5) {
                    continue;
                }
                String[] queues = f[4].split(":");
                all.add(new Entry(port(f[1]), port(f[2]), Integer.parseInt(f[3], 16), Long.parseLong(queues[0], 16),
                        Long.parseLong(queues[1], 16)));
            }
        }
        return all;
    }

    private static int port(String address) {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1), 16);
    }

    /** @return the server's side of each connection to {@code serverPort}, by the client's port (TIME_WAIT left out) */
    static Map<Integer, Entry> serverSides(List<Entry> all, int serverPort) {
        Map<Integer, Entry> sides = new HashMap<>();
        for (Entry e : all) {
            if (e.localPort() == serverPort && e.state() != LISTEN && e.state() != TIME_WAIT) {
                sides.put(e.remotePort(), e);
            }
        }
        return sides;
    }

    /** @return the client's side of each connection to {@code serverPort}, by the client's port */
    static Map<Integer, Entry> clientSides(List<Entry> all, int serverPort) {
        Map<Integer, Entry> sides = new HashMap<>();
        for (Entry e : all) {
            if (e.remotePort() == serverPort && e.state() != TIME_WAIT) {
                sides.put(e.localPort(), e);
            }
        }
        return sides;
    }
}
