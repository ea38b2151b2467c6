package dev.switchboard.groups.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;

/** The group-name rule over arbitrary strings: accepted exactly when it should be, refused with a safe message. */
class GroupNamesPropertyTest {

    /**
     * What must never reach a log line or an error frame raw: C0, DEL, C1, the Unicode line and paragraph separators,
     * format characters (bidi controls among them) and surrogates (a lone one is not text).
     */
    private static final Pattern UNSAFE = Pattern.compile("[\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029\\p{Cf}\\p{Cs}]");

    @Property(tries = 3_000)
    void anyStringIsAcceptedIffItFollowsTheRuleAndARefusalIsPrintable(@ForAll String name) {
        boolean valid = !name.isEmpty() && name.length() <= 128 && name.matches("[A-Za-z0-9._:-]+");
        try {
            assertThat(GroupNames.validate(name, 128)).isEqualTo(name);
            assertThat(valid).as("accepted " + name).isTrue();
        } catch (IllegalArgumentException e) {
            assertThat(valid).as("refused " + name).isFalse();
            assertThat(e.getMessage()).doesNotContainPattern(UNSAFE);
        }
    }

    // Arbitrary strings rarely hit the few dangerous characters: these are made of little else, at any length limit.
    @Property(tries = 3_000)
    void namesFullOfLineBreaksBidiAndFormatCharactersAreRefusedWithAPrintableMessage(@ForAll @StringLength(max = 300)
            @CharRange(from = '\u0000', to = '\u001f') @CharRange(from = '\u007f', to = '\u009f')
            @CharRange(from = '\u200b', to = '\u200f') @CharRange(from = '\u2028', to = '\u202e')
            @CharRange(from = '\u2060', to = '\u206f') @CharRange(from = '\ud800', to = '\udfff')
            @Chars({'\u00ad', '\u061c', '\ufeff', 'a', 'Z', '-', '"', '\\'}) String name,
            @ForAll @IntRange(min = 1, max = 200) int maxLength) {
        boolean valid = !name.isEmpty() && name.length() <= maxLength && name.matches("[A-Za-z0-9._:-]+");
        try {
            assertThat(GroupNames.validate(name, maxLength)).isEqualTo(name);
            assertThat(valid).as("accepted " + name).isTrue();
        } catch (IllegalArgumentException e) {
            assertThat(valid).as("refused " + name).isFalse();
            assertThat(e.getMessage()).doesNotContainPattern(UNSAFE);
        }
    }

    @Property(tries = 1_000)
    void namesFromTheAllowedAlphabetAreAccepted(@ForAll @StringLength(min = 1, max = 128)
            @CharRange(from = 'a', to = 'z') @CharRange(from = 'A', to = 'Z') @CharRange(from = '0', to = '9')
            @Chars({'.', '_', ':', '-'}) String name) {
        assertThat(GroupNames.validate(name, 128)).isEqualTo(name);
    }
}
