package dev.switchboard.connections.internal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.Locale;

/**
 * Keeps a WebSocket handshake from creating an HTTP session. Liberty's handshake ({@code HandshakeProcessor
 * .readRequestInfo}) calls {@code request.getSession()} on every upgrade, to offer it as {@code
 * HandshakeRequest.getHttpSession()}; nothing uses it after, yet it stays in the heap until it times out (30 minutes
 * by default): after a deploy, every client that reconnects leaves one behind. Behind this filter the handshake sees
 * the session the client already has, if any, and no new one is made. An application whose handshake must create one
 * (a configurator that stores into {@code getHttpSession()} for first-time visitors) registers a filter of its own
 * under {@link ConnectionsInitializer#FILTER}, which takes this one's place.
 */
final class NoHandshakeSession extends HttpFilter {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String upgrade = request.getHeader("Upgrade");
        if (upgrade == null || !upgrade.toLowerCase(Locale.ROOT).contains("websocket")
                || request.getHeader("Sec-WebSocket-Key") == null) { // not a handshake: left alone
            chain.doFilter(request, response);
            return;
        }
        chain.doFilter(new HttpServletRequestWrapper(request) {
            @Override
            public HttpSession getSession() {
                return getSession(false);
            }

            @Override
            public HttpSession getSession(boolean create) {
                return super.getSession(false);
            }
        }, response);
    }
}
