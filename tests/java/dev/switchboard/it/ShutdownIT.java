package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Undeploying the application closes every connection with 1001 (going away). */
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
        assertThat(room.awaitClose().code()).isEqualTo(1001);
        assertThat(chat.awaitClose().code()).isEqualTo(1001);
    }
}
