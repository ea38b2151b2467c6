package dev.switchboard.example;

import dev.switchboard.groups.SendReport;
import jakarta.json.JsonObject;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The reference's {@code "notification.created"}.
 *
 * @param notification what to push
 * @param outcome completed by the observers: the push's report once the transaction that fired the event committed,
 *     or empty if it rolled back (nothing was pushed)
 */
public record NotificationCreated(JsonObject notification, CompletableFuture<Optional<SendReport>> outcome) {
}
