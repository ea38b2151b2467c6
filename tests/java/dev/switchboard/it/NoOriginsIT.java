package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.it.settings.NoOrigins;
import java.io.File;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The module's default for {@code switchboard.security.allowed-origins}: none. An application that leaves it empty
 * deploys (MicroProfile Config takes an empty value for none at all), refuses every browser origin, and serves clients
 * that send no {@code Origin}.
 */
@ExtendWith(ArquillianExtension.class)
class NoOriginsIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return ShrinkWrap.create(WebArchive.class, "no-origins.war")
                .addAsLibrary(new File(System.getProperty("switchboard.jar")))
                .addClasses(NoOrigins.class, NoOrigins.Echo.class, NoOrigins.Unset.class)
                .addAsServiceProvider(ConfigSource.class, NoOrigins.Unset.class);
    }

    @Test
    void browsersAreRefusedAndOtherClientsServed() throws Exception {
        try (RawWebSocket ws = RawWebSocket.connect("/no-origins/echo", Map.of("Origin", "http://localhost:9080"))) {
            assertThat(ws.status).isEqualTo(403);
        }
        try (WsClient client = WsClient.connect("/no-origins/echo")) {
            assertThat(client.send("{\"n\":1}").nextJson().getInt("n")).isEqualTo(1);
        }
    }
}
