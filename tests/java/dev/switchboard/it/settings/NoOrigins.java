package dev.switchboard.it.settings;

import dev.switchboard.endpoints.SwitchboardEndpoint;
import jakarta.json.JsonObject;
import jakarta.websocket.OnMessage;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * An application that sets no browser origin ({@code switchboard.security.allowed-origins} empty, above server.xml),
 * with one echo endpoint: {@code NoOriginsIT}.
 */
public final class NoOrigins {

    private NoOrigins() {
    }

    /** {@code /no-origins/echo}: sends back what it gets. */
    @SwitchboardEndpoint("/echo")
    public static class Echo {
        @OnMessage
        public JsonObject echo(JsonObject message) {
            return message;
        }
    }

    /** The empty setting, as an application would leave it. */
    public static class Unset implements ConfigSource {
        static final String KEY = "switchboard.security.allowed-origins";

        @Override
        public Map<String, String> getProperties() {
            return Map.of(KEY, "");
        }

        @Override
        public Set<String> getPropertyNames() {
            return Set.of(KEY);
        }

        @Override
        public String getValue(String name) {
            return KEY.equals(name) ? "" : null;
        }

        @Override
        public int getOrdinal() {
            return 1_000;
        }

        @Override
        public String getName() {
            return "NoOriginsIT";
        }
    }
}
