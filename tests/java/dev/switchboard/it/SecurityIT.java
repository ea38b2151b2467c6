package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.http.WebSocketHandshakeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Origins, users, roles and limits per user, at the real server with the demo's users. */
class SecurityIT extends DeployedAppTest {

    private static final String ALICE = Server.basic("alice", "alice-pw"); // role member
    private static final String BOB = Server.basic("bob", "bob-pw"); // no role

    private static WsClient connect(String path, String authorization) {
        return WsClient.connectAsync(path, true, false,
                authorization == null ? Map.of() : Map.of("Authorization", authorization)).join();
    }

    @Test
    void aHandshakeFromAForeignOriginIsRefusedWith403BeforeTheUpgrade() throws Exception {
        try (RawWebSocket ws = RawWebSocket.connect("/chat/lobby", Map.of("Origin", "http://evil.example"))) {
            assertThat(ws.status).isEqualTo(403);
        }
        try (RawWebSocket ws = RawWebSocket.connect("/chat/lobby", Map.of("Origin", "http://localhost:9080"))) {
            assertThat(ws.status).isEqualTo(101);
        }
    }

    /** Allowed: http://localhost:9080 and http://127.0.0.1:9080. Each of these is refused, not taken for one of them. */
    @ParameterizedTest
    @ValueSource(strings = {"null", "localhost:9080", "http://localhost:9080/", "http://localhost:9080/app",
            "http://user@localhost:9080", "http://localhost:9080?x", "http://localhost", "https://localhost:9080",
            "http://evil_site.attacker.example:9080"})
    void anOriginThatIsNotExactlyAnAllowedOneIsRefusedWith403(String origin) throws Exception {
        try (RawWebSocket ws = RawWebSocket.connect("/chat/lobby", Map.of("Origin", origin))) {
            assertThat(ws.status).as(origin).isEqualTo(403);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP://LOCALHOST:9080", "http://127.0.0.1:9080"})
    void anAllowedOriginIsAdmittedInAnyCase(String origin) throws Exception {
        try (RawWebSocket ws = RawWebSocket.connect("/chat/lobby", Map.of("Origin", origin))) {
            assertThat(ws.status).as(origin).isEqualTo(101);
        }
    }

    @Test
    void aPrivateRoomRefusesAnonymousAndUnauthorizedUsersWith1008AndAdmitsMembers() {
        try (WsClient anonymous = connect("/chat/private-club", null)) {
            WsClient.Close close = anonymous.awaitClose();
            assertThat(close.code()).isEqualTo(1008);
            assertThat(close.reason()).contains("requires the role member");
        }
        try (WsClient bob = connect("/chat/private-club", BOB)) {
            WsClient.Close close = bob.awaitClose();
            assertThat(close.code()).isEqualTo(1008);
            assertThat(close.reason()).contains("requires the role member");
        }
        try (WsClient alice = connect("/chat/private-club", ALICE)) {
            assertThat(alice.nextJson().getString("type")).isEqualTo("welcome");
            assertThat(alice.nextJson().getJsonArray("members")).hasSize(1); // joined
            alice.send("{\"text\":\"members only\"}");
            assertThat(alice.nextJson().getJsonObject("message").getString("text")).isEqualTo("members only");
            assertThat(Server.get("/api/groups/chat_private-club").json().getJsonArray("members")
                    .getJsonObject(0).getString("principal")).isEqualTo("alice");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/chat/private-club", "/chat/lobby"})
    void wrongCredentialsAreRefusedWith401BeforeTheUpgradeNotTakenForAnonymous(String path) throws Exception {
        // Liberty authenticates credentials sent to an unprotected resource, and would go on anonymously if they fail
        Throwable failure = catchThrowable(() -> WsClient.connectAsync(path, true, false,
                Map.of("Authorization", Server.basic("alice", "wrong"))).join());
        assertThat(failure).isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(WebSocketHandshakeException.class);
        var response = ((WebSocketHandshakeException) failure.getCause()).getResponse();
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"switchboard\"");

        try (RawWebSocket ws = RawWebSocket.connect(path, Map.of("Authorization", Server.basic("nobody", "x")))) {
            assertThat(ws.status).as(ws.response).isEqualTo(401);
        }
        try (WsClient anonymous = connect("/chat/lobby", null); WsClient alice = connect("/chat/lobby", ALICE)) {
            assertThat(anonymous.nextJson().getString("type")).isEqualTo("welcome");
            assertThat(alice.nextJson().getString("type")).isEqualTo("welcome");
        }
    }

    @Test
    void oneUserMayHoldAtMostTenConnections() {
        List<WsClient> mine = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                WsClient c = connect("/chat/limits", ALICE);
                assertThat(c.nextJson().getString("type")).isEqualTo("welcome");
                mine.add(c);
            }
            try (WsClient eleventh = connect("/chat/limits", ALICE)) {
                WsClient.Close close = eleventh.awaitClose();
                assertThat(close.code()).isEqualTo(1008);
                assertThat(close.reason()).contains("alice has 11 connections open")
                        .contains("max-connections-per-principal is 10");
            }
        } finally {
            mine.forEach(WsClient::close);
        }
    }

    @Test
    void theOperatorApiNeedsTheAdminRole() {
        Server.Reply anonymous = Server.get("/api/groups", null);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.json().getString("error")).contains("authentication required");
        Server.Reply wrong = Server.get("/api/groups", Server.basic("admin", "wrong"));
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.json().getString("error")).contains("authentication required");
        assertThat(Server.get("/api/stats", BOB).status()).isEqualTo(403);
        assertThat(Server.get("/api/groups", Server.ADMIN).status()).isEqualTo(200);
    }
}
