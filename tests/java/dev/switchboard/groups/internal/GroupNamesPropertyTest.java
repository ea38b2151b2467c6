package dev.switchboard.groups.internal;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;

/** The group-name rule over arbitrary strings: accepted exactly when it should be, refused with a safe message. */
class GroupNamesPropertyTest {

    @Property(tries = 3_000)
    void anyStringIsAcceptedIffItFollowsTheRuleAndARefusalIsPrintable(@ForAll String name) {
        boolean valid = !name.isEmpty() && name.length() <= 128 && name.matches("[A-Za-z0-9._:-]+");
        try {
            assertThat(GroupNames.validate(name, 128)).isEqualTo(name);
            assertThat(valid).as("accepted " + name).isTrue();
        } catch (IllegalArgumentException e) {
            assertThat(valid).as("refused " + name).isFalse();
            assertThat(e.getMessage()).doesNotContainPattern("[\\x00-\\x1f\\x7f]");
        }
    }

    @Property(tries = 1_000)
    void namesFromTheAllowedAlphabetAreAccepted(@ForAll @StringLength(min = 1, max = 128)
            @CharRange(from = 'a', to = 'z') @CharRange(from = 'A', to = 'Z') @CharRange(from = '0', to = '9')
            @Chars({'.', '_', ':', '-'}) String name) {
        assertThat(GroupNames.validate(name, 128)).isEqualTo(name);
    }
}
