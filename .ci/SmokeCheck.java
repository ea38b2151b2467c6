import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * CI's check that the README's run command serves: waits (bounded) until GET / answers 200 with the demo page, then
 * opens a WebSocket on /chat/{room} and waits for its welcome frame. Uses the JDK HttpClient's defaults (it asks for
 * HTTP/2), as a Java user would. Exit code 0 on success; 1 with the reason otherwise.
 * Run: java .ci/SmokeCheck.java http://localhost:9080 300
 */
public class SmokeCheck {
    public static void main(String[] args) throws Exception {
        String base = args.length > 0 ? args[0] : "http://localhost:9080";
        Instant deadline = Instant.now().plusSeconds(args.length > 1 ? Long.parseLong(args[1]) : 300);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String last = "nothing tried";
        while (true) {
            try {
                HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base + "/"))
                        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (page.statusCode() == 200 && page.body().contains("<html")) {
                    System.out.println("GET / answered 200 with the demo page");
                    break;
                }
                last = "GET / answered " + page.statusCode();
            } catch (Exception e) {
                last = "GET / failed: " + e;
            }
            if (Instant.now().isAfter(deadline)) {
                fail("the server did not serve / in time; last: " + last);
            }
            Thread.sleep(2000); // polling a server that is still starting: nothing to synchronise on
        }
        CompletableFuture<String> first = new CompletableFuture<>();
        WebSocket ws = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(URI.create(base.replaceFirst("^http", "ws") + "/chat/ci-smoke"), new WebSocket.Listener() {
                    final StringBuilder text = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            first.complete(text.toString());
                        }
                        webSocket.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket webSocket, int code, String reason) {
                        first.completeExceptionally(new IllegalStateException("closed " + code + " " + reason));
                        return null;
                    }

                    @Override
                    public void onError(WebSocket webSocket, Throwable error) {
                        first.completeExceptionally(error);
                    }
                }).get(20, TimeUnit.SECONDS);
        String frame;
        try {
            frame = first.get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            fail("no first frame on /chat/ci-smoke within 20 s: " + e);
            return;
        }
        if (!frame.contains("\"type\":\"welcome\"")) {
            fail("the first frame on /chat/ci-smoke is not the welcome: " + frame);
        }
        System.out.println("WebSocket /chat/ci-smoke got its welcome: " + frame);
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
    }

    private static void fail(String why) {
        System.err.println("SMOKE CHECK FAILED: " + why);
        System.exit(1);
    }
}
