package dev.switchboard.example;

import dev.switchboard.groups.Groups;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Refuses a handshake to {@code /chat/{room}} whose room would not make a valid group name with 400 and a JSON
 * reason, before it is upgraded: a bad room never becomes a connection.
 */
@WebFilter("/chat/*")
public class RoomNameFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    @Inject
    Groups groups;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String raw = request.getRequestURI().substring(request.getContextPath().length());
        if (raw.startsWith("/chat/")) {
            String encoded = raw.substring("/chat/".length());
            try {
                String malformed = malformedEscape(encoded);
                if (malformed != null) {
                    throw new IllegalArgumentException("malformed escape \"" + malformed + "\" in \""
                            + printable(encoded) + "\"; % is followed by two hex digits");
                }
                groups.checkName(Rooms.group(URLDecoder.decode(encoded.replace("+", "%2B"), StandardCharsets.UTF_8)));
            } catch (IllegalArgumentException e) {
                response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
                response.setContentType("application/json");
                response.setCharacterEncoding("UTF-8");
                response.getWriter().write(Json.createObjectBuilder()
                        .add("error", "invalid room: " + e.getMessage()).build().toString());
                return;
            }
        }
        chain.doFilter(request, response);
    }

    /** @return the first {@code %} in {@code s} not followed by two hex digits, with what follows it, or null */
    static String malformedEscape(String s) {
        for (int i = s.indexOf('%'); i >= 0; i = s.indexOf('%', i + 1)) {
            if (i + 2 >= s.length() || !hex(s.charAt(i + 1)) || !hex(s.charAt(i + 2))) {
                return printable(s.substring(i, Math.min(s.length(), i + 3)));
            }
        }
        return null;
    }

    private static boolean hex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    // The raw URI is the client's: anything but printable ASCII is shown as \\uXXXX.
    private static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            b.append(c > 0x20 && c < 0x7f && c != '"' && c != '\\' ? String.valueOf(c)
                    : String.format("\\u%04x", (int) c));
        }
        return b.toString();
    }
}
