package dev.switchboard.security;

import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.net.URI;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The configurator every Switchboard endpoint names: {@code @ServerEndpoint(value = "/chat/{room}", configurator =
 * HandshakeGuard.class)}.
 *
 * <ul>
 *   <li>{@link #checkOrigin}: a browser's handshake whose {@code Origin} is not in {@code
 *       switchboard.security.allowed-origins} (comma-separated, {@code *} for any) is refused with 403 before the
 *       upgrade. A handshake without {@code Origin} comes from a non-browser client, which a hijacking page cannot
 *       drive, and is allowed; authenticate those.</li>
 *   <li>{@link #modifyHandshake}: the caller's roles among {@code switchboard.security.roles} are kept with the
 *       connection, since a WebSocket {@code Session} cannot be asked {@code isUserInRole} later.</li>
 * </ul>
 *
 * The container creates configurators itself (not CDI), so settings are read from MicroProfile Config directly.
 */
public class HandshakeGuard extends ServerEndpointConfig.Configurator {

    /** Key of the caller's roles ({@code Set<String>}) in the session's user properties. */
    public static final String ROLES = HandshakeGuard.class.getName() + ".roles";

    private static final Logger LOG = Logger.getLogger(HandshakeGuard.class.getName());

    private final Set<String> allowedOrigins;
    private final boolean anyOrigin;
    private final List<String> roles;

    /** Reads the settings once per endpoint. */
    public HandshakeGuard() {
        Config config = ConfigProvider.getConfig(HandshakeGuard.class.getClassLoader());
        Set<String> origins = split(config.getOptionalValue("switchboard.security.allowed-origins", String.class)
                .orElse("http://localhost:9080,http://127.0.0.1:9080"));
        this.anyOrigin = origins.contains("*");
        this.allowedOrigins = origins.stream().map(HandshakeGuard::normalize).collect(Collectors.toSet());
        this.roles = List.copyOf(split(config.getOptionalValue("switchboard.security.roles", String.class)
                .orElse("")));
    }

    private static Set<String> split(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toCollection(HashSet::new));
    }

    // Scheme and host compare case-insensitively; a default port may be written or not.
    private static String normalize(String origin) {
        try {
            URI uri = URI.create(origin.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
            int port = uri.getPort();
            if (port == -1) {
                port = "https".equals(scheme) ? 443 : 80;
            }
            return scheme + "://" + host + ":" + port;
        } catch (IllegalArgumentException e) {
            return origin.trim();
        }
    }

    @Override
    public boolean checkOrigin(String originHeaderValue) {
        if (originHeaderValue == null || anyOrigin) {
            return true;
        }
        boolean allowed = allowedOrigins.contains(normalize(originHeaderValue));
        if (!allowed) {
            LOG.warning(() -> "Refused a WebSocket handshake from origin \"" + originHeaderValue
                    + "\": not in switchboard.security.allowed-origins " + allowedOrigins);
        }
        return allowed;
    }

    @Override
    public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
        Set<String> granted = new HashSet<>();
        if (request.getUserPrincipal() != null) {
            for (String role : roles) {
                if (request.isUserInRole(role)) {
                    granted.add(role);
                }
            }
        }
        // Jakarta WebSocket 2.1: the config passed here carries this connection's own copy of the user properties.
        config.getUserProperties().put(ROLES, Set.copyOf(granted));
    }
}
