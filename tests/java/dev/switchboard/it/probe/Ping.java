package dev.switchboard.it.probe;

/** A probe event; {@code fail} makes the failing observers throw. */
public record Ping(String id, boolean fail) {
}
