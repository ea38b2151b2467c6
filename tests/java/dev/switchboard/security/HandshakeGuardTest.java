package dev.switchboard.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The origin check as the container calls it, on the allow-lists of the review's findings. */
class HandshakeGuardTest {

    @Test
    void anAllowedUnderscoreHostDoesNotAdmitOtherUnderscoreHosts() {
        HandshakeGuard guard = new HandshakeGuard("http://intranet_01:8080", "");
        assertThat(guard.checkOrigin("http://intranet_01:8080")).isTrue();
        assertThat(guard.checkOrigin("http://evil_site.attacker.example:31337")).isFalse();
        assertThat(guard.checkOrigin("http://intranet_02")).isFalse();
    }

    @Test
    void anAllowedInternationalizedHostDoesNotAdmitOtherInternationalizedHosts() {
        HandshakeGuard guard = new HandshakeGuard("https://xn--bcher-kva.example", "");
        assertThat(guard.checkOrigin("https://xn--bcher-kva.example")).isTrue();
        assertThat(guard.checkOrigin("https://bücher.example")).as("not what a browser sends").isFalse();
        assertThat(guard.checkOrigin("https://évil.attacker.example")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"null", "example.com", "https://example.com/", "https://user@example.com",
            "http://evil.example", "https://example.com:8443", "http://example.com"})
    void originsThatAreNotTheAllowedOneAreRefused(String origin) {
        HandshakeGuard guard = new HandshakeGuard("https://example.com,http://localhost:9080", "");
        assertThat(guard.checkOrigin(origin)).isFalse();
    }

    @Test
    void byDefaultNoBrowserOriginIsAdmittedAndClientsWithoutOneAre() {
        HandshakeGuard guard = new HandshakeGuard(Origins.DEFAULT, "");
        assertThat(guard.checkOrigin("http://localhost:9080")).as("no demo origin in the module").isFalse();
        assertThat(guard.checkOrigin("https://example.com")).isFalse();
        assertThat(guard.checkOrigin(null)).as("no Origin: not a browser").isTrue();
    }

    @Test
    void theAllowedOriginIsAdmittedWrittenAnyWayABrowserMayWriteIt() {
        HandshakeGuard guard = new HandshakeGuard("https://example.com,http://localhost:9080", "");
        assertThat(guard.checkOrigin("https://example.com")).isTrue();
        assertThat(guard.checkOrigin("https://example.com:443")).isTrue();
        assertThat(guard.checkOrigin("HTTPS://EXAMPLE.COM")).isTrue();
        assertThat(guard.checkOrigin("http://localhost:9080")).isTrue();
    }

    @Test
    void noOriginIsANonBrowserClientAndStarAdmitsAnyOrigin() {
        assertThat(new HandshakeGuard("https://example.com", "").checkOrigin(null)).isTrue();
        HandshakeGuard any = new HandshakeGuard("*", "");
        assertThat(any.checkOrigin("http://evil.example")).isTrue();
        assertThat(any.checkOrigin("null")).isTrue();
    }

    @Test
    void aUnicodeEntryAdmitsItsAsciiFormAndNoOtherInternationalizedHost() {
        HandshakeGuard guard = new HandshakeGuard("https://bücher.example", "");
        assertThat(guard.checkOrigin("https://xn--bcher-kva.example")).isTrue();
        assertThat(guard.checkOrigin("https://évil.attacker.example")).isFalse();
        assertThat(guard.checkOrigin("https://xn--vil-bma.attacker.example")).isFalse();
    }

    /** A start with such a setting fails (see {@link OriginSettings}); should a guard be made anyway, it fails closed. */
    @ParameterizedTest
    @ValueSource(strings = {"example.com,https://example.com", "null,https://example.com",
            "https://example.com/,https://example.com"})
    void aGuardMadeFromAnEntryThatIsNotAnOriginRefusesEveryBrowser(String setting) {
        HandshakeGuard guard = new HandshakeGuard(setting, "");
        assertThat(guard.checkOrigin("null")).isFalse();
        assertThat(guard.checkOrigin("http://evil.example")).isFalse();
        assertThat(guard.checkOrigin("https://example.com")).as("fails closed").isFalse();
        assertThat(guard.checkOrigin(null)).as("not a browser: unchanged").isTrue();
    }
}
