package dev.switchboard.it.probe.api;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/**
 * The probes' REST door at {@code /api} when the module is deployed without the demo ({@link
 * dev.switchboard.it.Deployments#module()}); with the demo, its own application serves {@code /api}.
 */
@ApplicationPath("/api")
public class ProbeApi extends Application {
}
