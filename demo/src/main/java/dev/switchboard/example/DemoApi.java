package dev.switchboard.example;

import jakarta.annotation.security.DeclareRoles;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The demo's HTTP API under {@code /api}. */
@DeclareRoles({"admin", "member"})
@ApplicationPath("/api")
public class DemoApi extends Application {
}
