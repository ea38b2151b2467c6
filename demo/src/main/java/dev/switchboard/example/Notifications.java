package dev.switchboard.example;

import dev.switchboard.groups.Groups;
import dev.switchboard.groups.SendReport;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The reference's "reacting to events" ({@code push_notification}), tied to a transaction: the notification is pushed
 * only if the transaction that created it commits. A client never hears of something that was rolled back.
 */
@ApplicationScoped
public class Notifications {

    @Inject
    Groups groups;

    @Inject
    Event<NotificationCreated> created;

    @Resource
    TransactionSynchronizationRegistry transaction;

    /**
     * Creates a notification in a transaction (where a real application would also write it to its database).
     *
     * @param rollback mark the transaction rollback-only, to show that nothing is pushed then
     * @return the push's report once the transaction has ended; empty if it rolled back
     */
    @Transactional
    public CompletableFuture<Optional<SendReport>> create(JsonObject notification,
            boolean rollback) {
        NotificationCreated event = new NotificationCreated(notification, new CompletableFuture<>());
        created.fire(event);
        if (rollback) {
            transaction.setRollbackOnly();
        }
        return event.outcome();
    }

    /** Runs after the commit, in the committing thread; never if the transaction rolls back. */
    void push(@Observes(during = TransactionPhase.AFTER_SUCCESS) NotificationCreated event) {
        groups.send(NotificationsEndpoint.GROUP, event.notification()).whenComplete((report, error) -> {
            if (error != null) {
                event.outcome().completeExceptionally(error);
            } else {
                event.outcome().complete(Optional.of(report));
            }
        });
    }

    void rolledBack(@Observes(during = TransactionPhase.AFTER_FAILURE) NotificationCreated event) {
        event.outcome().complete(Optional.empty());
    }
}
