package dev.switchboard.connections.internal;

import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import java.util.Set;

/**
 * Puts {@link NoHandshakeSession} in front of every request of the application (it acts on WebSocket handshakes
 * only), so that no handshake leaves an HTTP session behind. Registered by the container (META-INF/services), not
 * with {@code @WebFilter}, which a {@code metadata-complete} web.xml would switch off.
 */
public final class HandshakeSessionInitializer implements ServletContainerInitializer {

    /** The filter's name in the application. */
    static final String FILTER = "switchboard-no-handshake-session";

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) {
        FilterRegistration.Dynamic filter = context.addFilter(FILTER, new NoHandshakeSession());
        if (filter == null) {
            return; // the application registered one under our name
        }
        filter.setAsyncSupported(true);
        filter.addMappingForUrlPatterns(null, false, "/*");
    }
}
