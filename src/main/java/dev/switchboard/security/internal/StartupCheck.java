package dev.switchboard.security.internal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.servlet.ServletContext;

/**
 * Fails the application's start when the module's initializers did not run in it: a web.xml {@code
 * <absolute-ordering>} that leaves the module's jar out switches them off, and then no {@code @SwitchboardEndpoint}
 * is deployed and wrong credentials on a handshake would make an anonymous connection. Fail closed, and say why.
 */
@ApplicationScoped
class StartupCheck {

    void check(@Observes @Initialized(ApplicationScoped.class) Object started) {
        if (started instanceof ServletContext context && context.getAttribute(SecurityInitializer.RAN) == null) {
            throw new IllegalStateException("Switchboard's initializers did not run in " + context.getContextPath()
                    + ": the web.xml <absolute-ordering> leaves the module's jar out. Name <name>switchboard</name>"
                    + " in it, or "
                    + "<others/>; without them no @SwitchboardEndpoint is deployed and wrong credentials are not refused");
        }
    }
}
