package dev.switchboard.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Base of the integration tests of the demo (and of the module through it): Arquillian deploys
 * {@link Deployments#app()} to the managed Liberty before the class and removes it after.
 */
@ExtendWith(ArquillianExtension.class)
abstract class DeployedAppTest {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.app();
    }
}
