package dev.switchboard.example;

import dev.switchboard.groups.Groups;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/** The reference's "reacting to events": {@code push_notification}. */
@ApplicationScoped
public class Notifications {

    @Inject
    Groups groups;

    void push(@Observes NotificationCreated created) {
        groups.send(NotificationsEndpoint.GROUP, created.notification())
                .whenComplete((report, error) -> {
                    if (error != null) {
                        created.report().completeExceptionally(error);
                    } else {
                        created.report().complete(report);
                    }
                });
    }
}
