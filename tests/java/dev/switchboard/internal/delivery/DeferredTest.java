package dev.switchboard.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeferredTest {

    @Test
    void collectedTasksRunInOrderOnlyWhenRunAndOnce() {
        List<String> ran = new ArrayList<>();
        Deferred later = Deferred.collect();
        later.add(() -> ran.add("a"));
        later.add(() -> ran.add("b"));
        assertThat(ran).isEmpty();
        later.run();
        later.run();
        assertThat(ran).containsExactly("a", "b");
    }

    @Test
    void nowRunsEachTaskAsItIsAdded() {
        List<String> ran = new ArrayList<>();
        Deferred.NOW.add(() -> ran.add("a"));
        assertThat(ran).containsExactly("a");
    }

    @Test
    void aTaskThatThrowsDoesNotKeepTheOthersFromRunning() {
        List<String> ran = new ArrayList<>();
        Deferred later = Deferred.collect();
        later.add(() -> {
            throw new IllegalStateException("one");
        });
        later.add(() -> ran.add("b"));
        later.add(() -> {
            throw new IllegalStateException("two");
        });
        assertThatThrownBy(later::run).hasMessage("one")
                .satisfies(e -> assertThat(e.getSuppressed()).singleElement().hasFieldOrPropertyWithValue(
                        "message", "two"));
        assertThat(ran).containsExactly("b");
    }
}
