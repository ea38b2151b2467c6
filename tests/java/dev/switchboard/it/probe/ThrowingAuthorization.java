package dev.switchboard.it.probe;

import dev.switchboard.events.Namespace;
import dev.switchboard.groups.JoinRequested;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** An authorization observer with a bug: for groups {@code authz-throws-*} it throws instead of deciding. */
@ApplicationScoped
public class ThrowingAuthorization {

    void check(@Observes @Namespace(Namespace.GROUP) JoinRequested request) {
        if (request.group().startsWith("authz-throws-")) {
            // what request.connection().principal().get() does for an anonymous connection
            throw new java.util.NoSuchElementException("No value present");
        }
    }
}
