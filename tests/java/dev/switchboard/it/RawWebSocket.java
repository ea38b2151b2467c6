package dev.switchboard.it;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A hand-rolled WebSocket client for what well-behaved clients cannot send: invalid UTF-8, binary frames, frames of
 * any size, floods. RFC 6455 framing, client-to-server frames masked.
 */
final class RawWebSocket implements AutoCloseable {

    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;

    /** A frame the server sent. */
    record Frame(int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
        }

        String closeReason() {
            return payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
        }
    }

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;
    final int status;
    final String response;
    final String body;

    private RawWebSocket(Socket socket, int status, String response, InputStream in) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = new DataInputStream(in);
        this.status = status;
        this.response = response;
        this.body = status == 101 ? "" : body(response, this.in);
    }

    // A refused handshake is a plain HTTP response: read its body by Content-Length, or its chunks.
    private static String body(String head, DataInputStream in) throws IOException {
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length:\\s*(\\d+)").matcher(head);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (length.find()) {
            byte[] bytes = new byte[Integer.parseInt(length.group(1))];
            in.readFully(bytes);
            body.write(bytes);
        } else if (head.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) {
            while (true) {
                int size = Integer.parseInt(line(in).trim(), 16);
                if (size == 0) {
                    break;
                }
                byte[] chunk = new byte[size];
                in.readFully(chunk);
                body.write(chunk);
                line(in);
            }
        }
        return body.toString(StandardCharsets.UTF_8);
    }

    private static String line(DataInputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    /** Opens a TCP connection and sends the upgrade; {@link #status} is the HTTP status (101 when upgraded). */
    static RawWebSocket connect(String path, Map<String, String> headers) throws IOException {
        Socket socket = new Socket("localhost", 9080);
        socket.setSoTimeout(20_000);
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        StringBuilder request = new StringBuilder()
                .append("GET ").append(path).append(" HTTP/1.1\r\n")
                .append("Host: localhost:9080\r\n")
                .append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
                .append("Sec-WebSocket-Key: ").append(Base64.getEncoder().encodeToString(nonce)).append("\r\n")
                .append("Sec-WebSocket-Version: 13\r\n");
        headers.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
        request.append("\r\n");
        socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int status = text.length() > 12 ? Integer.parseInt(text.substring(9, 12)) : -1;
        return new RawWebSocket(socket, status, text, in);
    }

    /** Sends one final frame with {@code opcode} and {@code payload}, masked as a client must. */
    void send(int opcode, byte[] payload) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write(0x80 | opcode);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length < 65_536) {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >>> shift));
            }
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        frame.write(mask);
        byte[] masked = payload.clone();
        for (int i = 0; i < masked.length; i++) {
            masked[i] ^= mask[i & 3];
        }
        frame.write(masked);
        out.write(frame.toByteArray());
        out.flush();
    }

    void sendText(String text) throws IOException {
        send(TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** @return the next frame from the server, or null if the connection ended (or went quiet for 20 s) */
    Frame read() throws IOException {
        try {
            int b0 = in.read();
            if (b0 < 0) {
                return null;
            }
            int b1 = in.readUnsignedByte();
            long length = b1 & 0x7f;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] payload = new byte[(int) length];
            in.readFully(payload);
            return new Frame(b0 & 0x0f, payload);
        } catch (SocketTimeoutException | java.io.EOFException | java.net.SocketException e) {
            return null;
        }
    }

    /** @return the server's close frame, skipping other frames; null if the connection ended without one */
    Frame awaitClose() throws IOException {
        Frame frame;
        while ((frame = read()) != null) {
            if (frame.opcode() == CLOSE) {
                return frame;
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
