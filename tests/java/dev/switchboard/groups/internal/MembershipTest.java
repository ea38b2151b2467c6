package dev.switchboard.groups.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MembershipTest {

    @Test
    void keepsTheGroupsAndGivesThemAllUpOnce() {
        Membership m = new Membership();
        synchronized (m) {
            m.add("a");
            m.add("b");
        }
        assertThat(m.contains("a")).isTrue();
        assertThat(m.contains("c")).isFalse();
        assertThat(m.size()).isEqualTo(2);
        assertThat(m.snapshot()).isEqualTo(Set.of("a", "b"));
        synchronized (m) {
            m.remove("a");
            assertThat(m.takeAll()).containsExactly("b");
            assertThat(m.takeAll()).isEmpty();
            assertThat(m.closed()).isFalse();
            m.markClosed();
        }
        assertThat(m.closed()).isTrue();
        assertThat(m.size()).isZero();
    }

    @Test
    void eventsQueuedByAnObserverFireAfterTheOneRunningInOrder() {
        Membership m = new Membership();
        List<Object> fired = new ArrayList<>();
        synchronized (m) {
            m.queue("joined a");
        }
        m.fire(event -> {
            fired.add(event);
            if (event.equals("joined a")) { // an observer that changes the membership again
                synchronized (m) {
                    m.queue("left a");
                }
                m.fire(fired::add); // returns at once: the outer loop fires it next
                assertThat(fired).containsExactly("joined a");
            }
        });
        assertThat(fired).containsExactly("joined a", "left a");
    }

    @Test
    void anObserverThatThrowsDoesNotStopLaterEvents() {
        Membership m = new Membership();
        synchronized (m) {
            m.queue("first");
            m.queue("second");
        }
        assertThatThrownBy(() -> m.fire(event -> {
            throw new AssertionError("observer bug on " + event);
        })).isInstanceOf(AssertionError.class);
        List<Object> fired = new ArrayList<>();
        m.fire(fired::add);
        assertThat(fired).containsExactly("second");
    }
}
