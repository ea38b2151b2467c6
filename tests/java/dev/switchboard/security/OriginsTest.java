package dev.switchboard.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class OriginsTest {

    @ParameterizedTest
    @CsvSource({
        "http://example.com, http://example.com:80",
        "https://example.com, https://example.com:443",
        "http://example.com:80, http://example.com:80",
        "https://example.com:443, https://example.com:443",
        "HTTPS://Example.COM:8443, https://example.com:8443",
        "http://localhost:9080, http://localhost:9080",
        "http://127.0.0.1:9080, http://127.0.0.1:9080",
        "http://intranet_01:8080, http://intranet_01:8080",
        "http://a-b.c_d.example, http://a-b.c_d.example:80",
        "http://example.com:080, http://example.com:80",
        "http://[::1]:9080, http://[0:0:0:0:0:0:0:1]:9080",
        "http://[0:0:0:0:0:0:0:1]:9080, http://[0:0:0:0:0:0:0:1]:9080",
        "https://[2001:DB8::1], https://[2001:db8:0:0:0:0:0:1]:443",
        "http://xn--bcher-kva.example, http://xn--bcher-kva.example:80",
    })
    void originsNormalizeToSchemeHostAndPort(String origin, String normalized) {
        assertThat(Origins.normalize(origin)).isEqualTo(normalized);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "null | no scheme://",
        "example.com | no scheme://",
        "localhost:9080 | no scheme://",
        "ftp://example.com | scheme \"ftp\" is not http or https",
        "ws://example.com | scheme \"ws\" is not http or https",
        "://example.com | scheme \"\" is not http or https",
        "http:// | no host",
        "http://:80 | no host",
        "http://example.com/ | '/' after the host",
        "http://example.com/path | '/' after the host",
        "http://example.com?x=1 | '?' after the host",
        "http://example.com#top | '#' after the host",
        "http://user@example.com | '@' after the host",
        "http://user:pw@example.com | '@' after the host",
        "http://ex%61mple.com | '%' after the host",
        "http://example.com: | \":\" after the host is not :port",
        "http://example.com:0 | port 0 is not between 1 and 65535",
        "http://example.com:65536 | port 65536 is not between 1 and 65535",
        "http://example.com:123456 | \":123456\" after the host is not :port",
        "http://example.com:+80 | \":+80\" after the host is not :port",
        "http://example.com:80:80 | \":80:80\" after the host is not :port",
        "http://example.com. | has the label \"\"",
        "http://a..b | has the label \"\"",
        "http://exa!mple.com | has the label \"exa!mple\"",
        "http://[::1 | IPv6 address without ']'",
        "http://[::g] | is not an IPv6 address",
        "http://[1:2:3:4:5:6:7:8:9] | is not an IPv6 address",
        "http://[::1]x | \"x\" after the host is not :port",
    })
    void whatIsNotAnOriginIsRefusedSayingWhy(String origin, String why) {
        assertThatThrownBy(() -> Origins.normalize(origin)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(why);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://exa mple.com", "http://bücher.example", "http://example.com\t", " http://example.com",
            "http://example.com\u0000", "http://\u202eexample.com"})
    void aPresentedOriginIsAsciiWithoutSpaces(String origin) {
        assertThatThrownBy(() -> Origins.normalize(origin)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("an origin is ASCII without spaces");
    }

    @Test
    void aLabelOfMoreThan63CharactersOrAHostOfMoreThan253IsRefused() {
        assertThat(Origins.normalize("http://" + "a".repeat(63) + ".example")).startsWith("http://aaa");
        assertThatThrownBy(() -> Origins.normalize("http://" + "a".repeat(64) + ".example"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 to 63");
        String host = ("a".repeat(50) + ".").repeat(5) + "example"; // 262 characters
        assertThatThrownBy(() -> Origins.normalize("http://" + host)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("host of 262 characters, the most is 253");
    }

    /** The review's case: underscore hosts all used to normalize to {@code http://:80}. */
    @Test
    void anAllowedUnderscoreHostAdmitsOnlyItself() {
        var allowed = Origins.allowList("http://intranet_01:8080");
        assertThat(allowed).containsExactly("http://intranet_01:8080");
        assertThat(allowed).doesNotContain(Origins.normalize("http://evil_site.attacker.example:31337"));
        assertThat(allowed).doesNotContain(Origins.normalize("http://intranet_01:8081"));
        assertThat(allowed).doesNotContain(Origins.normalize("http://intranet_02:8080"));
        assertThat(allowed).doesNotContain(Origins.normalize("https://intranet_01:8080"));
        assertThat(allowed).contains(Origins.normalize("HTTP://INTRANET_01:8080"));
    }

    /** A Unicode host in the configuration matches what browsers send: its ASCII (punycode) form, in any case. */
    @Test
    void anInternationalizedHostIsConfiguredInUnicodeOrAsciiAndMatchesWhatBrowsersSend() {
        var allowed = Origins.allowList("https://bücher.example, http://ÉCOLE.example:8080");
        assertThat(allowed).containsExactlyInAnyOrder("https://xn--bcher-kva.example:443",
                "http://xn--cole-9oa.example:8080");
        assertThat(allowed).contains(Origins.normalize("https://XN--BCHER-KVA.example"));
        assertThat(allowed).doesNotContain(Origins.normalize("https://xn--bcher-kva.example.attacker.example"));
        assertThat(allowed).doesNotContain(Origins.normalize("https://bcher.example"));
        assertThat(Origins.allowList("https://xn--bcher-kva.example")).isEqualTo(Origins.allowList("https://bücher.example"));
    }

    @Test
    void defaultPortsWrittenOrNotAreTheSameOriginAndOtherPortsAreNot() {
        var allowed = Origins.allowList("https://example.com,http://example.com:8080");
        assertThat(allowed).contains(Origins.normalize("https://example.com:443"), Origins.normalize("https://example.com"),
                Origins.normalize("http://example.com:8080"));
        assertThat(allowed).doesNotContain(Origins.normalize("http://example.com"),
                Origins.normalize("https://example.com:8443"), Origins.normalize("http://example.com:443"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"null", "example.com", "https://example.com,example.com", "localhost",
            "https://example.com/", "http://intranet_01:8080/app", "https://bü cher.example", "file://x"})
    void aConfiguredEntryThatIsNotAnOriginFailsNamingTheKeyAndTheEntry(String setting) {
        String entry = setting.contains(",") ? setting.substring(setting.indexOf(',') + 1) : setting;
        assertThatThrownBy(() -> Origins.allowList(setting)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("switchboard.security.allowed-origins has \"" + entry + "\", which is not an "
                        + "origin: ");
    }

    @Test
    void starAllowsAnyOriginAndEmptyEntriesAreSkipped() {
        assertThat(Origins.allowList("http://a.example, *")).containsExactly("*");
        assertThat(Origins.allowList(" http://a.example , ,http://b.example:81 ")).containsExactlyInAnyOrder(
                "http://a.example:80", "http://b.example:81");
        assertThat(Origins.allowList("")).isEmpty();
    }
}
