package dev.switchboard.security;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Proxy;
import java.security.Principal;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The filter's decision, with a request and a response that only record what the filter asks and does. */
class CredentialsFilterTest {

    private static final Principal ALICE = () -> "alice";

    private final Map<String, String> responseHeaders = new HashMap<>();
    private final StringWriter body = new StringWriter();
    private int status = 200;
    private boolean passedOn;

    private HttpServletRequest request(Map<String, String> headers, Principal principal, RuntimeException failure) {
        return (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getHeader" -> headers.get((String) args[0]);
                    case "getUserPrincipal" -> {
                        if (failure != null) {
                            throw failure;
                        }
                        yield principal;
                    }
                    case "getRequestURI" -> "/chat/lobby";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private HttpServletResponse response() {
        return (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "setStatus" -> {
                        status = (Integer) args[0];
                        yield null;
                    }
                    case "setHeader" -> {
                        responseHeaders.put((String) args[0], (String) args[1]);
                        yield null;
                    }
                    case "setContentType", "setCharacterEncoding" -> null;
                    case "getWriter" -> new PrintWriter(body, true);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private void filter(Map<String, String> headers, Principal principal, RuntimeException failure) throws Exception {
        FilterChain chain = (req, res) -> passedOn = true;
        new CredentialsFilter().doFilter(request(headers, principal, failure), response(), chain);
    }

    private static final Map<String, String> HANDSHAKE_WITH_CREDENTIALS = Map.of("Upgrade", "websocket",
            "Authorization", "Basic YWxpY2U6d3Jvbmc=");

    @Test
    void aHandshakeWhoseCredentialsWereNotAcceptedIsRefusedWith401AndAChallenge() throws Exception {
        filter(HANDSHAKE_WITH_CREDENTIALS, null, null);
        assertThat(passedOn).isFalse();
        assertThat(status).isEqualTo(401);
        assertThat(responseHeaders).containsEntry("WWW-Authenticate", "Basic realm=\"switchboard\"");
        assertThat(body.toString()).contains("credentials not accepted");
    }

    @Test
    void aHandshakeWhoseCredentialsWereAcceptedGoesOn() throws Exception {
        filter(HANDSHAKE_WITH_CREDENTIALS, ALICE, null);
        assertThat(passedOn).isTrue();
        assertThat(status).isEqualTo(200);
    }

    @Test
    void aHandshakeWithoutCredentialsGoesOnAnonymously() throws Exception {
        filter(Map.of("Upgrade", "websocket"), null, null);
        assertThat(passedOn).isTrue();
    }

    @Test
    void aWebSocketUpgradeCountsInAnyCaseAndList() throws Exception {
        filter(Map.of("Upgrade", "foo, WebSocket", "Authorization", "Bearer x"), null, null);
        assertThat(passedOn).isFalse();
        assertThat(status).isEqualTo(401);
    }

    @Test
    void anHttp2UpgradeIsLeftToTheApplication() throws Exception {
        // the JDK HttpClient asks for h2c on every request by default: the API answers wrong credentials itself
        filter(Map.of("Upgrade", "h2c", "Authorization", "Basic YWxpY2U6d3Jvbmc="), null, null);
        assertThat(passedOn).isTrue();
    }

    @Test
    void aRequestThatIsNotAnUpgradeIsLeftToTheApplication() throws Exception {
        filter(Map.of("Authorization", "Basic YWxpY2U6d3Jvbmc="), null, null);
        assertThat(passedOn).isTrue();
    }

    @Test
    void aFailureWhileCheckingRefuses() throws Exception {
        filter(HANDSHAKE_WITH_CREDENTIALS, ALICE, new IllegalStateException("registry down"));
        assertThat(passedOn).isFalse();
        assertThat(status).isEqualTo(401);
    }
}
