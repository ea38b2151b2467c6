package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Undeploying the application closes every connection with 1001 (going away), after what was queued for it has been
 * written.
 */
@ExtendWith(ArquillianExtension.class)
class ShutdownIT {

    @ArquillianResource
    Deployer deployer;

    @Deployment(name = "app", managed = false, testable = false)
    static WebArchive deployment() {
        return Deployments.app();
    }

    @Test
    void undeployClosesOpenConnectionsWithGoingAway() {
        deployer.deploy("app");
        WsClient room;
        WsClient chat;
        try {
            room = WsClient.connect("/chat/closing");
            chat = WsClient.connect("/chat");
            room.next(); // welcome: the connection is open and registered
        } finally {
            deployer.undeploy("app");
        }
        // Switchboard's own close, not Liberty's ("Application shutting down.", which drains nothing): the module's
        // listener ran before the container's.
        assertThat(room.awaitClose()).isEqualTo(new WsClient.Close(1001, "application stopping"));
        assertThat(chat.awaitClose()).isEqualTo(new WsClient.Close(1001, "application stopping"));
    }

    @Test
    void whatWasQueuedBeforeTheUndeployIsWrittenBeforeThe1001() {
        deployer.deploy("app");
        int messages = 200; // 200 x ~1 KB: within the test server's 256 KB outbox, so none is refused
        WsClient reader;
        try {
            reader = WsClient.connect("/probe/member/draining");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> Server.get("/api/groups").json().getInt("draining", 0) == 1);
            // Queued at once (the call returns before anything is written), then the application goes away.
            Server.post("/api/probe/send-async?group=draining&from=0&count=" + messages + "&size=1024", "");
        } finally {
            deployer.undeploy("app");
        }
        for (int seq = 0; seq < messages; seq++) {
            assertThat(reader.nextJson().getInt("seq")).isEqualTo(seq);
        }
        assertThat(reader.awaitClose()).isEqualTo(new WsClient.Close(1001, "application stopping"));
    }
}
