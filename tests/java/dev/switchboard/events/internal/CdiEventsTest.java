package dev.switchboard.events.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.events.Events;
import dev.switchboard.events.Namespace;
import dev.switchboard.events.ObserverFailed;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Inject;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jboss.weld.junit5.EnableWeld;
import org.jboss.weld.junit5.WeldInitiator;
import org.jboss.weld.junit5.WeldSetup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The {@code Events} bean on a real CDI container in-process (Weld SE): namespaces, and failures reported, not thrown. */
@EnableWeld
class CdiEventsTest {

    private static final ExecutorService POOL = Executors.newFixedThreadPool(2);

    /** Liberty's managed executor stood in for by a plain pool: the only method CdiEvents uses is execute. */
    private static final ManagedExecutorService EXECUTOR = (ManagedExecutorService) Proxy.newProxyInstance(
            CdiEventsTest.class.getClassLoader(), new Class<?>[] {ManagedExecutorService.class},
            (proxy, method, args) -> switch (method.getName()) {
                case "execute" -> {
                    POOL.execute((Runnable) args[0]);
                    yield null;
                }
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                case "toString" -> "executor";
                default -> throw new UnsupportedOperationException(method.getName());
            });

    record Hello(String text, boolean fail) {
    }

    @ApplicationScoped
    static class Observers {
        private final List<String> seen = new CopyOnWriteArrayList<>();

        List<String> seen() { // through a method: the test holds a client proxy
            return seen;
        }

        void anyNamespace(@Observes Hello hello) {
            seen.add("any:" + hello.text());
        }

        void chat(@Observes @Namespace("chat") Hello hello) {
            seen.add("chat:" + hello.text());
            if (hello.fail()) {
                throw new IllegalStateException("boom " + hello.text());
            }
        }

        void asyncChat(@ObservesAsync @Namespace("chat") Hello hello) {
            seen.add("async:" + hello.text());
            if (hello.fail()) {
                throw new IllegalStateException("async boom " + hello.text());
            }
        }

        void failed(@Observes ObserverFailed failed) {
            seen.add("failed:" + failed.namespace() + ":" + failed.error().getMessage());
            if (failed.error().getMessage().contains("loop")) {
                throw new IllegalStateException("the error observer fails too");
            }
        }
    }

    @WeldSetup
    WeldInitiator weld = WeldInitiator.from(CdiEvents.class, Observers.class)
            .bindResource("java:comp/env/dev.switchboard.events.internal.CdiEvents/executor", EXECUTOR).build();

    @Inject
    Events events;

    @Inject
    Observers observers;

    @AfterAll
    static void stop() {
        POOL.shutdownNow();
    }

    @Test
    void anEventReachesObserversOfItsNamespaceAndThoseOfNone() {
        events.namespace("chat").emit(new Hello("a", false));
        events.namespace("other").emit(new Hello("b", false));
        assertThat(observers.seen()).containsExactlyInAnyOrder("chat:a", "any:a", "any:b");
    }

    @Test
    void aThrowingObserverIsReportedAsObserverFailedInItsNamespaceAndNeverReachesTheCaller() {
        events.namespace("chat").emit(new Hello("x", true));
        assertThat(observers.seen()).contains("failed:chat:boom x");
    }

    @Test
    void aThrowingObserverOfObserverFailedIsOnlyLogged() {
        events.namespace("chat").emit(new Hello("loop", true)); // its ObserverFailed observer throws: logged
        events.namespace("chat").emit(new ObserverFailed("x", "chat", new IllegalStateException("loop again")));
        assertThat(observers.seen()).filteredOn(s -> s.startsWith("failed:"))
                .as("no ObserverFailed about a failed ObserverFailed observer")
                .containsExactly("failed:chat:boom loop", "failed:chat:loop again");
    }

    @Test
    void anAsyncObserverRunsOnTheExecutorAndItsFailureIsReported() throws Exception {
        events.namespace("chat").emitAsync(new Hello("y", true)).toCompletableFuture().get(20, TimeUnit.SECONDS);
        assertThat(observers.seen()).contains("async:y", "failed:chat:async boom y");
    }
}
