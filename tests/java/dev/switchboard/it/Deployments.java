package dev.switchboard.it;

import dev.switchboard.it.probe.ProbeResource;
import dev.switchboard.it.probe.api.ProbeApi;
import org.jboss.shrinkwrap.api.asset.EmptyAsset;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import java.io.File;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The archives the integration tests deploy. Each is a WAR built by Maven before failsafe runs (tests/pom.xml passes
 * their paths), so what is tested is what ships.
 */
public final class Deployments {

    private Deployments() {
    }

    /** @return the demo WAR (demo/, with the module's jar inside) with the probe package, at the server root */
    public static WebArchive app() {
        return ShrinkWrap.create(ZipImporter.class, "switchboard.war").importFrom(built("switchboard.demo.war"))
                .as(WebArchive.class).addPackage(ProbeResource.class.getPackage());
    }

    /**
     * @return the module's jar and the probes, at the server root, without the demo: what the module's own integration
     *     tests deploy
     */
    public static WebArchive module() {
        return ShrinkWrap.create(WebArchive.class, "switchboard.war")
                .addAsLibrary(built("switchboard.jar"))
                .addPackage(ProbeResource.class.getPackage())
                .addClass(ProbeApi.class)
                .addAsWebInfResource(EmptyAsset.INSTANCE, "beans.xml")
                .addAsWebInfResource(new StringAsset("<web-ext xmlns=\"http://websphere.ibm.com/xml/ns/javaee\" "
                        + "version=\"1.0\"><context-root uri=\"/\"/></web-ext>"), "ibm-web-ext.xml");
    }

    /** @return the consumer WAR (tests/consumer/): an application of our users' kind, at /consumer */
    public static WebArchive consumer() {
        return ShrinkWrap.create(ZipImporter.class, "consumer.war").importFrom(built("switchboard.consumer.war"))
                .as(WebArchive.class);
    }

    private static File built(String property) {
        String path = System.getProperty(property);
        if (path == null) {
            throw new IllegalStateException("System property " + property + " is not set: run the tests with Maven "
                    + "from the top of the checkout (mvn install)");
        }
        File war = new File(path);
        if (!war.isFile() || war.length() == 0) {
            throw new IllegalStateException(war.getAbsolutePath() + " is missing: run the tests with Maven from the "
                    + "top of the checkout (mvn install), which builds it first");
        }
        return war;
    }
}
