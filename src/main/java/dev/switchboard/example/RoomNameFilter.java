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
            String room = URLDecoder.decode(raw.substring("/chat/".length()).replace("+", "%2B"),
                    StandardCharsets.UTF_8);
            try {
                groups.checkName(Rooms.group(room));
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
}
