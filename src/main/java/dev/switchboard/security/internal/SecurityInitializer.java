package dev.switchboard.security.internal;

import dev.switchboard.security.CredentialsFilter;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import java.util.Set;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Puts {@link CredentialsFilter} in front of every request of the application. Registered here rather than with
 * {@code @WebFilter}, which a {@code metadata-complete} web.xml would silently switch off: the filter exists so that
 * a wrong password never becomes an anonymous connection, so it must not depend on annotation scanning.
 */
public final class SecurityInitializer implements ServletContainerInitializer {

    /** The filter's name in the application. */
    static final String FILTER = "switchboard-credentials";

    /** The key that switches the filter off, for applications that check credentials on the handshake themselves. */
    static final String ENABLED_KEY = "switchboard.security.credentials-filter";

    /** Set in the application's context once this initializer has run ({@link StartupCheck} looks for it). */
    static final String RAN = SecurityInitializer.class.getName() + ".ran";

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) {
        register(context, enabled(context));
    }

    /** Marks the context as initialized and, if {@code enabled}, puts the filter in front of every request. */
    void register(ServletContext context, boolean enabled) {
        context.setAttribute(RAN, Boolean.TRUE);
        if (!enabled) {
            return;
        }
        FilterRegistration.Dynamic filter = context.addFilter(FILTER, CredentialsFilter.class);
        if (filter == null) {
            return; // the application registered it itself, under our name
        }
        filter.setAsyncSupported(true); // JAX-RS resources behind it may answer asynchronously
        filter.addMappingForUrlPatterns(null, false, "/*");
    }

    // The container makes initializers, not CDI: MicroProfile Config is read directly.
    private static boolean enabled(ServletContext context) {
        String value;
        try {
            value = ConfigProvider.getConfig(context.getClassLoader()).getOptionalValue(ENABLED_KEY, String.class)
                    .orElse(null);
        } catch (RuntimeException e) { // fail closed: a setting that cannot be read leaves the filter on
            return true;
        }
        return enabled(value);
    }

    /**
     * @param value the setting, or null if unset
     * @return false only for "false"; true for unset or "true"
     * @throws IllegalArgumentException for anything else, naming the key and the value: a typo must not switch a
     *     security check off (MicroProfile Config's own conversion takes any unknown word for false)
     */
    static boolean enabled(String value) {
        if (value == null || value.isBlank() || value.strip().equalsIgnoreCase("true")) {
            return true;
        }
        if (value.strip().equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException(ENABLED_KEY + " must be true or false, got \"" + value + "\"");
    }
}
