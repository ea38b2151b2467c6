package dev.switchboard.groups.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

    @ParameterizedTest
    @ValueSource(ints = {1, 5, 39, 40, 41})
    void tooLongIsRefusedWithLengthAndLimitWhateverTheLimit(int limit) {
        String name = "b".repeat(limit + 1);
        assertThatThrownBy(() -> GroupNames.validate(name, limit)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining((limit + 1) + " characters")
                .hasMessageContaining("name-max-length is " + limit)
                .hasMessageContaining("\"" + "b".repeat(Math.min(40, limit)) + "...\"");
    }

    // Each would fake a line break, reverse the text or hide characters if it reached a log line or error frame raw.
    @ParameterizedTest
    @ValueSource(strings = {"\u0085", "\u0080", "\u009f", "\u2028", "\u2029", "\u200e", "\u200f", "\u202a", "\u202e",
            "\u2066", "\u2069", "\u00ad", "\ufeff", "\u061c", "\ud800", "\udfff"})
    void unicodeLineBreaksBidiAndFormatCharactersAreEscapedInTheMessage(String evil) {
        String name = "ok" + evil + "fake] INFO admin logged in";
        assertThatThrownBy(() -> GroupNames.validate(name, 128)).isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(evil)
                        .contains(String.format("\\u%04x", (int) evil.charAt(0))));
        String longName = evil.repeat(200);
        assertThatThrownBy(() -> GroupNames.validate(longName, 128)).isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(evil).contains("200 characters"));
    }
}
