package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
        // Switchboard's own close (Liberty's would say "Application shutting down."): the module's path ran.
        assertThat(room.awaitClose()).isEqualTo(new WsClient.Close(1001, "application stopping"));
        assertThat(chat.awaitClose()).isEqualTo(new WsClient.Close(1001, "application stopping"));
    }

    @Test
    void whatWasQueuedBeforeTheUndeployIsWrittenBeforeThe1001() throws Exception {
        deployer.deploy("app");
        int messages = 100; // 100 x ~1 KB beside one queued 128 KB filler: within the 256 KB outbox, none refused
        WsClient reader;
        CompletableFuture<Void> undeploying;
        try {
            Server.post("/api/probe/policy?prefix=draining-&overflow=DROP_NEWEST&history=0", "");
            reader = WsClient.connectAsync("/probe/member/draining-room?also=draining-fill", false).join();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> Server.get("/api/groups").json().getInt("draining-room", 0) == 1);
            // Its socket full and a write to it blocked: what is sent now waits in its outbox when the undeploy begins.
            Stalls.fill("draining-fill", 1);
            Server.post("/api/probe/send-async?group=draining-room&from=0&count=" + messages + "&size=1024", "");
            await().atMost(Duration.ofSeconds(10)).until(
                    () -> Server.get("/api/probe/queued?group=draining-room").json().getInt("fewest") >= messages - 1);
        } catch (RuntimeException | Error e) {
            deployer.undeploy("app");
            throw e;
        }
        undeploying = CompletableFuture.runAsync(() -> deployer.undeploy("app"));
        reader.startReading(); // the drain (drain-ms 5 s) waits for it: everything arrives, then the close
        for (int seq = 0; seq < messages; ) {
            int got = reader.nextJson().getInt("seq");
            if (got < Stalls.FILLER) {
                assertThat(got).isEqualTo(seq++);
            }
        }
        assertThat(reader.awaitClose()).isEqualTo(new WsClient.Close(1001, "application stopping"));
        undeploying.get(60, TimeUnit.SECONDS);
    }
}
