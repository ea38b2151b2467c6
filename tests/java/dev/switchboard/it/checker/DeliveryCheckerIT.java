package dev.switchboard.it.checker;

import dev.switchboard.it.Deployments;
import dev.switchboard.it.Server;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The delivery checker ({@link DeliveryChecker}) on one server, the demo with the probes: for {@code
 * -Dchecker.minutes} (default 1.5, in {@code mvn verify}).
 */
@ExtendWith(ArquillianExtension.class)
class DeliveryCheckerIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.app();
    }

    @Test
    @Timeout(value = 100, unit = TimeUnit.MINUTES) // the run's own budget bounds it; this guards a stuck server
    void randomizedSchedulesKeepEveryDeliveryPromise() throws Exception {
        new DeliveryChecker(List.of(new DeliveryChecker.Node(Server.HTTP, Server.WS)))
                .run(Double.parseDouble(System.getProperty("checker.minutes", "1.5")));
    }
}
