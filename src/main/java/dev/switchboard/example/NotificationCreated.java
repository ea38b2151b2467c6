package dev.switchboard.example;

import dev.switchboard.groups.SendReport;
import jakarta.json.JsonObject;
import java.util.concurrent.CompletableFuture;

/**
 * The reference's {@code "notification.created"}.
 *
 * @param notification what to push
 * @param report completed by the observer that pushes it, so the HTTP response can say how many clients got it
 */
public record NotificationCreated(JsonObject notification, CompletableFuture<SendReport> report) {
}
