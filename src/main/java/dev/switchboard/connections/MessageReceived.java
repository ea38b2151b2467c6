package dev.switchboard.connections;

import jakarta.json.JsonObject;

/**
 * Fired (sync, in the order the client sent them) for every text frame that is a JSON object. Frames that are not get
 * an error frame back and fire {@link ConnectionError} instead.
 *
 * @param connection the sender
 * @param message the decoded frame
 */
public record MessageReceived(Connection connection, JsonObject message) implements ConnectionEvent {
}
