package dev.switchboard.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.groups.Groups;
import dev.switchboard.groups.internal.GroupNames;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RoomNameFilterTest {

    @ParameterizedTest
    @CsvSource({"%zz, %zz", "a%zzb, %zz", "lobby%, %", "lobby%4, %4", "%g1, %g1", "%41%4, %4", "%41%%41, %%4",
            "%1\u0663, %1\\u0663"})
    void theFirstMalformedEscapeIsFoundAndShownPrintably(String room, String escape) {
        assertThat(RoomNameFilter.malformedEscape(room)).isEqualTo(escape);
    }

    @ParameterizedTest
    @ValueSource(strings = {"lobby", "%41", "a%2Bb%2b", "%E2%80%AE", "", "+"})
    void wellFormedEscapesAreNotReported(String room) {
        assertThat(RoomNameFilter.malformedEscape(room)).isNull();
    }

    private int status = 200;
    private final StringWriter body = new StringWriter();
    private boolean passedOn;

    private void filter(String uri) throws Exception {
        RoomNameFilter filter = new RoomNameFilter();
        filter.groups = (Groups) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Groups.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("checkName")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    GroupNames.validate((String) args[0], 128);
                    return null;
                });
        HttpServletRequest request = (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getRequestURI" -> uri;
                    case "getContextPath" -> "";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        HttpServletResponse response = (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "setStatus" -> {
                        status = (Integer) args[0];
                        yield null;
                    }
                    case "setContentType", "setCharacterEncoding" -> null;
                    case "getWriter" -> new PrintWriter(body, true);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        filter.doFilter(request, response, (req, res) -> passedOn = true);
    }

    /** Liberty refuses such a URI itself (HostileClientsIT); a container that passes it on gets 400, not 500. */
    @Test
    void aMalformedEscapeIs400WithAJsonErrorNamingIt() throws Exception {
        filter("/chat/a%zzb");
        assertThat(passedOn).isFalse();
        assertThat(status).isEqualTo(400);
        assertThat(body.toString()).startsWith("{\"error\":\"invalid room: malformed escape \\\"%zz\\\" in \\\"a%zzb\\\"");
    }

    @Test
    void aValidRoomGoesOnAndAnInvalidOneIs400() throws Exception {
        filter("/chat/lobby");
        assertThat(passedOn).isTrue();
        passedOn = false;
        filter("/chat/a%20b");
        assertThat(passedOn).isFalse();
        assertThat(status).isEqualTo(400);
        assertThat(body.toString()).contains("(U+0020)");
    }
}
