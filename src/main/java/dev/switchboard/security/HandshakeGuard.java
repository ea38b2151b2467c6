package dev.switchboard.security;

import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
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
 *       upgrade. Origins are parsed strictly and compared exactly ({@link Origins}); one that does not parse is
 *       refused. A handshake without {@code Origin} comes from a non-browser client, which a hijacking page cannot
 *       drive, and is allowed; authenticate those.</li>
 *   <li>{@link #modifyHandshake}: the caller's roles among {@code switchboard.security.roles} are kept with the
 *       connection, since a WebSocket {@code Session} cannot be asked {@code isUserInRole} later.</li>
 * </ul>
 *
 * The container creates configurators itself (not CDI), so settings are read from MicroProfile Config directly.
 */
public class HandshakeGuard extends ServerEndpointConfig.Configurator {

    /** The key of the roles captured at the handshake: comma-separated role names; none by default. */
    static final String ROLES_KEY = "switchboard.security.roles";

    /** Key of the caller's roles ({@code Set<String>}) in the session's user properties. */
    public static final String ROLES = HandshakeGuard.class.getName() + ".roles";

    private static final Logger LOG = Logger.getLogger(HandshakeGuard.class.getName());

    private final Set<String> allowedOrigins;
    private final boolean anyOrigin;
    private final String misconfigured;
    private final List<String> roles;

    /** Reads the settings once per endpoint. */
    public HandshakeGuard() {
        this(ConfigProvider.getConfig(HandshakeGuard.class.getClassLoader()));
    }

    private HandshakeGuard(Config config) {
        this(config.getOptionalValue(Origins.KEY, String.class).orElse(Origins.DEFAULT),
                config.getOptionalValue(ROLES_KEY, String.class).orElse(""));
    }

    HandshakeGuard(String allowedOrigins, String roles) {
        Set<String> origins = Set.of();
        String error = null;
        try {
            origins = Origins.allowList(allowedOrigins);
        } catch (IllegalArgumentException e) {
            // OriginSettings fails the start for this; should a guard be made anyway, it admits no browser.
            error = e.getMessage();
            LOG.severe(error);
        }
        this.misconfigured = error;
        this.anyOrigin = origins.contains("*");
        this.allowedOrigins = origins;
        this.roles = List.copyOf(split(roles));
    }

    private static Set<String> split(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toCollection(HashSet::new));
    }

    @Override
    public boolean checkOrigin(String originHeaderValue) {
        if (originHeaderValue == null) {
            return true;
        }
        if (misconfigured != null) {
            LOG.warning(() -> "Refused a WebSocket handshake from origin " + Origins.quote(originHeaderValue)
                    + ": the allow-list is misconfigured: " + misconfigured);
            return false;
        }
        if (anyOrigin) {
            return true;
        }
        String normalized;
        try {
            normalized = Origins.normalize(originHeaderValue);
        } catch (IllegalArgumentException e) {
            LOG.warning(() -> "Refused a WebSocket handshake from origin " + Origins.quote(originHeaderValue)
                    + ": not an origin (" + e.getMessage() + ")");
            return false;
        }
        boolean allowed = allowedOrigins.contains(normalized);
        if (!allowed) {
            LOG.warning(() -> "Refused a WebSocket handshake from origin " + Origins.quote(originHeaderValue)
                    + ": not in " + Origins.KEY + " " + allowedOrigins);
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
