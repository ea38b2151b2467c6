package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.it.settings.BadSetting;
import java.io.File;
import java.time.Duration;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.ShouldThrowException;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The module checks its own settings when the application starts, whatever the application does: an application with
 * nothing but the module's jar and one setting out of range does not deploy, and the log names the key, the value
 * and the rule. (Arquillian waits for the start it expects to fail until appDeployTimeout: this class takes two minutes.)
 */
@ExtendWith(ArquillianExtension.class)
class SettingsIT {

    @Deployment(testable = false)
    @ShouldThrowException(Exception.class)
    static WebArchive deployment() {
        String jar = System.getProperty("switchboard.jar");
        assertThat(jar).as("tests/pom.xml passes the module's jar").isNotNull();
        return ShrinkWrap.create(WebArchive.class, "bad-setting.war")
                .addAsLibrary(new File(jar))
                .addClass(BadSetting.class)
                .addAsServiceProvider(ConfigSource.class, BadSetting.class);
    }

    @Test
    void aSettingOutOfRangeFailsTheDeploymentNamingTheKeyTheValueAndTheRule() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Server.log())
                .contains(BadSetting.KEY + " must be at least 1, got " + BadSetting.VALUE)
                .contains("CWWKZ0012I: The application bad-setting was not started"));
    }
}
