package dev.switchboard.connections.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.connections.Connection;
import dev.switchboard.connections.ConnectionClosed;
import dev.switchboard.connections.ConnectionError;
import dev.switchboard.connections.ConnectionOpened;
import dev.switchboard.connections.InvalidMessageException;
import dev.switchboard.connections.MessageReceived;
import dev.switchboard.connections.Overflow;
import dev.switchboard.internal.delivery.JsonCodec;
import dev.switchboard.events.RecordingEvents;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The {@code Connections} bean in-process, on stand-ins for the container's sessions: the inbound guard and events. */
class ConnectionRegistryTest {

    private final TestConnections container = new TestConnections(100, 1 << 20);
    private final RecordingEvents events = new RecordingEvents();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final ConnectionRegistry registry = new ConnectionRegistry();

    @BeforeEach
    void start() {
        ConnectionSettings settings = container.settings();
        settings.maxFrameBytes = 1_000;
        settings.maxJsonDepth = 4;
        settings.maxConnectionsPerPrincipal = 2;
        settings.sendTimeoutMs = 10_000;
        settings.drainMs = 100;
        settings.overflow = Overflow.CLOSE;
        registry.settings = settings;
        registry.events = events;
        registry.codec = new JsonCodec();
        registry.start(Executors.newCachedThreadPool(), scheduler, Executors.defaultThreadFactory());
    }

    @AfterEach
    void stop() {
        registry.shutdown();
        scheduler.shutdownNow();
        container.close();
    }

    private Session session(String id, String user) {
        return container.session(id, user, registry::closed);
    }

    private long count(Class<?> type) {
        return events.emitted.stream().filter(type::isInstance).count();
    }

    @Test
    void openAndCloseAreAnnouncedOnceEach() throws Exception {
        Session session = session("a", null);
        Connection connection = registry.opened(session, "ns");
        assertThat(registry.count()).isEqualTo(1);
        assertThat(registry.list()).containsExactly(connection);
        session.close(new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, "bye"));
        registry.closed(session, new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, "again"));
        assertThat(count(ConnectionOpened.class)).isEqualTo(1);
        assertThat(count(ConnectionClosed.class)).isEqualTo(1);
        assertThat(connection.isOpen()).isFalse();
        assertThat(registry.count()).isZero();
        assertThat(registry.list()).isEmpty();
    }

    @Test
    void aConnectionRefusedAtOpenIsNeverAnnouncedOpenedNorClosed() throws Exception {
        registry.opened(session("u1", "ann"), "ns");
        registry.opened(session("u2", "ann"), "ns");
        Connection third = registry.opened(session("u3", "ann"), "ns");
        assertThat(third.isOpen()).isFalse();
        assertThat(container.wire("u3").closedWith.get().getCloseCode().getCode()).isEqualTo(1008);
        assertThat(container.wire("u3").closedWith.get().getReasonPhrase())
                .contains("user ann has 3 connections open", "max-connections-per-principal is 2");
        assertThat(count(ConnectionOpened.class)).isEqualTo(2);
        assertThat(count(ConnectionClosed.class)).as("no close for a connection observers never saw open").isZero();
        assertThat(registry.count()).isEqualTo(2);
    }

    @Test
    void aCloseDuringTheOpeningIsAnnouncedAfterItOnce() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        Session session = session("racing", null);
        events.listen(event -> {
            if (event instanceof ConnectionOpened) {
                seen.add("opened: observers start");
                Thread closer = new Thread(() -> {
                    try {
                        session.close(new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "gone while opening"));
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                closer.start(); // the container's close, on another thread, while observers are told it opened
                try {
                    closer.join(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                seen.add("opened: observers done");
            } else if (event instanceof ConnectionClosed closed) {
                seen.add("closed " + closed.reason().getCloseCode().getCode());
            }
        });
        registry.opened(session, "ns");
        assertThat(seen).containsExactly("opened: observers start", "opened: observers done", "closed 1001");
        assertThat(registry.count()).isZero();
    }

    @Test
    void aFrameThatIsNotAJsonObjectGetsAnErrorFrameAndAConnectionError() throws Exception {
        Session session = session("a", null);
        registry.opened(session, "ns");
        assertThat(registry.received(session, "[1,2]")).isEmpty();
        assertThat(container.wire("a").next(5)).contains("\"type\":\"error\"");
        assertThat(events.emitted).filteredOn(ConnectionError.class::isInstance).singleElement()
                .extracting(e -> ((ConnectionError) e).error()).isInstanceOf(InvalidMessageException.class);
        assertThat(registry.received(session, "{\"a\":1}")).isPresent();
        assertThat(count(MessageReceived.class)).isEqualTo(1);
    }

    @Test
    void aFrameOverTheLimitClosesWith1009NamingTheSizeAndTheLimit() throws Exception {
        Session session = session("a", null);
        registry.opened(session, "ns");
        assertThat(registry.received(session, "{\"a\":\"" + "é".repeat(600) + "\"}")).isEmpty();
        CloseReason closed = container.wire("a").closedWith.get();
        assertThat(closed.getCloseCode().getCode()).isEqualTo(1009);
        assertThat(closed.getReasonPhrase()).contains("frame of 1208 bytes", "max-frame-bytes is 1000");
        assertThat(count(MessageReceived.class)).isZero();
    }
}
