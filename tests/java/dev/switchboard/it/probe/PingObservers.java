package dev.switchboard.it.probe;

import dev.switchboard.events.Namespace;
import dev.switchboard.events.ObserverFailed;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Inject;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/** Observers of {@link Ping} in namespaces alpha and beta, and in none; some fail on request. */
@ApplicationScoped
public class PingObservers {

    @Inject
    Probe probe;

    void alphaLate(@Observes @Priority(20) @Namespace("alpha") Ping ping) {
        probe.record(ping.id(), "alpha@20");
    }

    void alphaEarly(@Observes @Priority(10) @Namespace("alpha") Ping ping) {
        probe.record(ping.id(), "alpha@10");
        if (ping.fail()) {
            throw new IllegalStateException("sync boom " + ping.id());
        }
    }

    void beta(@Observes @Namespace("beta") Ping ping) {
        probe.record(ping.id(), "beta");
    }

    void any(@Observes @Priority(30) Ping ping) {
        probe.record(ping.id(), "any");
    }

    void alphaAsync(@ObservesAsync @Namespace("alpha") Ping ping) {
        probe.record(ping.id(), "async:" + (componentContext() ? "managed" : "unmanaged"));
        if (ping.fail()) {
            throw new IllegalStateException("async boom " + ping.id());
        }
    }

    void alphaAsyncSecond(@ObservesAsync @Namespace("alpha") Ping ping) {
        probe.record(ping.id(), "async2");
        if (ping.fail()) {
            throw new IllegalStateException("async2 boom " + ping.id());
        }
    }

    void failed(@Observes ObserverFailed failed) {
        if (failed.event() instanceof Ping ping) {
            probe.record(ping.id(), "failed:" + failed.namespace() + ":" + failed.error().getMessage());
        } else if (failed.event() instanceof Loop loop) {
            probe.record(loop.id(), "error-observer-ran");
            throw new IllegalStateException("the error observer fails too");
        }
    }

    void loop(@Observes Loop loop) {
        throw new IllegalStateException("loop " + loop.id());
    }

    // Only a thread with the application's component context (a managed executor's) can see java:comp.
    private static boolean componentContext() {
        try {
            new InitialContext().lookup("java:comp/DefaultManagedExecutorService");
            return true;
        } catch (NamingException e) {
            return false;
        }
    }

    /** An event whose observer fails, and whose failure's observer fails too. */
    public record Loop(String id) {
    }
}
