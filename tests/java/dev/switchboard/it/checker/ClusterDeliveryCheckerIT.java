package dev.switchboard.it.checker;

import static org.awaitility.Awaitility.await;

import dev.switchboard.it.Deployments;
import dev.switchboard.it.LibertyNode;
import dev.switchboard.it.RedisProcess;
import dev.switchboard.it.Server;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The delivery checker ({@link DeliveryChecker}) across two Liberty servers joined through a real redis-server (ports
 * 9183 and 9184): each connection goes to the next server in turn, so every room has members, publishers and resumes
 * on both, and every promise it checks on one server must hold across the two. For {@code -Dchecker.cluster-minutes}
 * (default 1, in {@code mvn verify}).
 */
class ClusterDeliveryCheckerIT {

    @Test
    @Timeout(value = 100, unit = TimeUnit.MINUTES)
    void randomizedSchedulesAcrossTwoServersKeepEveryDeliveryPromise() throws Exception {
        try (RedisProcess redis = RedisProcess.run()) {
            Map<String, String> cluster = Map.of("switchboard.cluster.redis", redis.uri(),
                    "switchboard.cluster.check-ms", "200");
            try (LibertyNode a = new LibertyNode("checker-a", 9183, cluster, Deployments.app());
                    LibertyNode b = new LibertyNode("checker-b", 9184, cluster, Deployments.app())) {
                CompletableFuture<?> startA = CompletableFuture.runAsync(a::start);
                b.start();
                startA.join();
                for (LibertyNode node : List.of(a, b)) { // joins need Redis: wait until both hear it
                    await().atMost(Duration.ofSeconds(60)).until(() ->
                            Server.getAt(node.http(), "/health/ready").status() == 200);
                }
                new DeliveryChecker(List.of(new DeliveryChecker.Node(a.http(), a.ws()),
                        new DeliveryChecker.Node(b.http(), b.ws())))
                        .run(Double.parseDouble(System.getProperty("checker.cluster-minutes", "1")));
            }
        }
    }
}
