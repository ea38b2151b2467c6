package dev.switchboard.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Refuses an upgrade request (a WebSocket handshake) whose credentials were not accepted with 401 and a Basic
 * challenge, before the upgrade. Liberty authenticates credentials sent to an unprotected resource, and when they
 * fail it goes on anonymously: without this, a wrong password made an anonymous connection. A handshake without
 * credentials stays anonymous; other requests are left to the application (the demo's {@code /api} answers 401
 * itself). The module registers it for every request of the application when it starts ({@code
 * security.internal.SecurityInitializer}).
 */
public class CredentialsFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(CredentialsFilter.class.getName());

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        boolean refuse;
        try {
            // WebSocket handshakes only: other upgrades (h2c, which the JDK client asks for by default) are plain
            // requests here, and the application answers them itself.
            String upgrade = request.getHeader("Upgrade");
            refuse = upgrade != null && upgrade.toLowerCase(Locale.ROOT).contains("websocket")
                    && request.getHeader("Authorization") != null && request.getUserPrincipal() == null;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, e, () -> "Refused an upgrade request: its credentials could not be checked");
            refuse = true; // fail closed
        }
        if (!refuse) {
            chain.doFilter(request, response);
            return;
        }
        LOG.fine(() -> "Refused an upgrade request to " + request.getRequestURI() + ": credentials not accepted");
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        response.setHeader("WWW-Authenticate", "Basic realm=\"switchboard\"");
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write("{\"error\":\"credentials not accepted\"}");
    }
}
