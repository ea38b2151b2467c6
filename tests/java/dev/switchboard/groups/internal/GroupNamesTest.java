package dev.switchboard.groups.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class GroupNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "chat_lobby", "notifications", "room-1.2:x", "Z9"})
    void validNamesPass(String name) {
        assertThat(GroupNames.validate(name, 128)).isEqualTo(name);
    }

    @Test
    void emptyAndNullAreRefused() {
        assertThatThrownBy(() -> GroupNames.validate("", 128)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> GroupNames.validate(null, 128)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("null");
    }

    @Test
    void tooLongIsRefusedWithLengthAndLimit() {
        String name = "a".repeat(129);
        assertThatThrownBy(() -> GroupNames.validate(name, 128)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("129 characters").hasMessageContaining("128");
        assertThat(GroupNames.validate("a".repeat(128), 128)).hasSize(128);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a b", "../etc", "a/b", "é", "a\"b", "tab\there", "new\nline", "a\u0000b"})
    void badCharactersAreRefusedNamingTheCharacter(String name) {
        assertThatThrownBy(() -> GroupNames.validate(name, 128)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("group name")
                .hasMessageContaining("U+")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n", "\u0000", "\t"));
    }
}
