package dev.switchboard.example;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The demo's HTTP API under {@code /api}. */
@ApplicationPath("/api")
public class DemoApi extends Application {
}
