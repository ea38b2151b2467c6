package dev.switchboard.it.probe;

import dev.switchboard.connections.Connection;
import dev.switchboard.connections.ConnectionEvent;

/** Fired for every message on {@code /probe/once}. */
public record Knock(Connection connection) implements ConnectionEvent {
}
