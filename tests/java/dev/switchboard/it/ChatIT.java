package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The reference's "emitting events from connections" ({@code /chat}), the logging observers, and the page. */
class ChatIT extends DeployedAppTest {

    @Test
    void everyObjectReachesEveryChatClientAsItIs() {
        try (WsClient a = WsClient.connect("/chat"); WsClient b = WsClient.connect("/chat")) {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> Server.get("/api/groups").json().getInt("chat", 0) >= 2);
            a.send("{\"x\":1,\"y\":[true,null]}");
            assertThat(b.next()).isEqualTo("{\"x\":1,\"y\":[true,null]}");
            assertThat(a.next()).isEqualTo("{\"x\":1,\"y\":[true,null]}");
        }
    }

    @Test
    void connectedMessageAndErrorEventsAreLoggedByTheirObservers() {
        try (WsClient a = WsClient.connect("/chat")) {
            a.send("{\"logged\":\"marker-7f3\"}");
            assertThat(a.next()).contains("marker-7f3");
            a.send("[\"not an object marker-9c1\"]");
            assertThat(WsClient.parse(a.next()).getString("type")).isEqualTo("error");
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Server.log())
                .contains("ws.connected: ")
                .contains("chat.message from ").contains("marker-7f3")
                .contains("WebSocket failure on ").contains("(ws): expected a JSON object, got array"));
    }

    @Test
    void namespacedObserverLogsRoomMessagesOfNamespaceWebsocket() {
        try (WsClient a = WsClient.connect("/chat/namespaced")) {
            a.next(); // welcome
            a.send("{\"content\":\"Hello from namespace websocket 4d2\"}");
            a.next();
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Server.log())
                .contains("New message: \"Hello from namespace websocket 4d2\""));
    }

    @Test
    void thePageIsServedAtTheRootToAClientWithTheJdkDefaults() throws Exception {
        // A new client with every default: it asks for an HTTP/2 upgrade (h2c), on which Liberty once answered 101 and
        // then nothing for a welcome file. The bounded timeout turns such a hang into a failure.
        HttpClient fresh = HttpClient.newHttpClient();
        HttpResponse<String> page = fresh.send(HttpRequest.newBuilder(URI.create(Server.HTTP + "/"))
                .timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<title>Switchboard chat</title>").contains("src=\"chat.js\"");
    }
}
