package dev.switchboard.it;

import dev.switchboard.it.probe.ProbeResource;
import java.io.File;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The archive every integration test deploys: the shipped WAR, plus the probes the tests read the server through. */
public final class Deployments {

    private Deployments() {
    }

    /** @return target/switchboard.war (built by {@code package}, before failsafe runs) with the probe package */
    public static WebArchive app() {
        File war = new File("target/switchboard.war");
        if (!war.isFile()) {
            throw new IllegalStateException(war.getAbsolutePath() + " is missing: run the tests with mvn verify");
        }
        return ShrinkWrap.create(ZipImporter.class, "switchboard.war").importFrom(war).as(WebArchive.class)
                .addPackage(ProbeResource.class.getPackage());
    }
}
