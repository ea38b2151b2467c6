package dev.switchboard.it;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** The server under test, over HTTP, and its log. */
public final class Server {

    public static final String HTTP = "http://localhost:9080";
    public static final String WS = "ws://localhost:9080";
    public static final HttpClient HTTP_CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private Server() {
    }

    /** A reply: status and body. */
    public record Reply(int status, String body) {
        public JsonObject json() {
            try (JsonReader reader = Json.createReader(new StringReader(body))) {
                return reader.readObject();
            }
        }
    }

    /** The demo's operator: {@code /api/...} needs the role admin. */
    public static final String ADMIN = basic("admin", "admin-pw");

    /** @return an Authorization header value for {@code user} */
    public static String basic(String user, String password) {
        return "Basic " + java.util.Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** GET as the admin. */
    public static Reply get(String path) {
        return get(path, ADMIN);
    }

    /** GET as the admin, from the server at {@code base} (e.g. {@code http://localhost:9181}). */
    public static Reply getAt(String base, String path) {
        return get(URI.create(base + path), ADMIN);
    }

    /** GET with {@code authorization} (null for none). */
    public static Reply get(String path, String authorization) {
        return get(URI.create(HTTP + path), authorization);
    }

    private static Reply get(URI uri, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(request);
    }

    /** POST a JSON body as the admin. */
    public static Reply post(String path, String body) {
        return postAt(HTTP, path, body);
    }

    /** POST a JSON body as the admin, to the server at {@code base}. */
    public static Reply postAt(String base, String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .header("Authorization", ADMIN).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HTTP_CLIENT.send(request.timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Reply(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** @return the server's messages.log as it is now */
    public static String log() {
        Path path = Path.of(System.getProperty("liberty.messages.log",
                "target/liberty/wlp/usr/servers/test/logs/messages.log"));
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
