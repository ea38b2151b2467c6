package dev.switchboard.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Base of the integration tests of the module itself: Arquillian deploys {@link Deployments#module()} (the module's
 * jar and the probes, no demo) to the managed Liberty before the class and removes it after.
 */
@ExtendWith(ArquillianExtension.class)
abstract class ModuleTest {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.module();
    }
}
