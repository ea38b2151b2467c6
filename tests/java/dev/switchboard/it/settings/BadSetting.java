package dev.switchboard.it.settings;

import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * A config source of the test application only, above server.xml's variables: one setting out of range, which must
 * fail the deployment ({@code SettingsIT}).
 */
public class BadSetting implements ConfigSource {

    public static final String KEY = "switchboard.group.max-per-connection";
    public static final String VALUE = "0";

    @Override
    public Map<String, String> getProperties() {
        return Map.of(KEY, VALUE);
    }

    @Override
    public Set<String> getPropertyNames() {
        return Set.of(KEY);
    }

    @Override
    public String getValue(String name) {
        return KEY.equals(name) ? VALUE : null;
    }

    @Override
    public int getOrdinal() {
        return 1_000; // above server.xml variables and system properties
    }

    @Override
    public String getName() {
        return "SettingsIT";
    }
}
