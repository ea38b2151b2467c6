package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * A WebSocket handshake leaves no HTTP session behind. Liberty's handshake asks the request for one on every upgrade
 * (and so makes one); each stayed in the heap for the session timeout, 30 minutes, after the connection had gone.
 */
class HandshakeSessionIT extends DeployedAppTest {

    private static final int CYCLES = 100;

    @Test
    void connectingAndClosingOverAndOverMakesNoHttpSession() {
        long before = created();
        for (int i = 0; i < CYCLES; i++) {
            for (String path : new String[] {"/probe/bare", "/chat/sessions"}) { // Liberty's own, and Switchboard's
                WsClient client = WsClient.connect(path);
                client.close();
                assertThat(client.awaitClose()).isNotNull();
            }
        }
        assertThat(created() - before).as("HTTP sessions made by " + 2 * CYCLES + " handshakes").isZero();
    }

    private static long created() {
        Server.Reply reply = Server.get("/api/probe/sessions");
        assertThat(reply.status()).isEqualTo(200);
        return reply.json().getJsonNumber("created").longValue();
    }
}
