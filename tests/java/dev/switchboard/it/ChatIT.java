package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
    void thePageIsServedAtTheRoot() {
        Server.Reply page = Server.get("/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("<title>Switchboard chat</title>").contains("/chat/");
    }
}
