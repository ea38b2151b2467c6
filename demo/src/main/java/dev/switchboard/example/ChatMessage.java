package dev.switchboard.example;

import dev.switchboard.connections.Connection;
import dev.switchboard.connections.ConnectionEvent;
import jakarta.json.JsonObject;

/**
 * The reference's {@code "chat.message"}, fired in namespace {@code chat}.
 *
 * @param connection the sender
 * @param message what it sent
 */
public record ChatMessage(Connection connection, JsonObject message) implements ConnectionEvent {
}
