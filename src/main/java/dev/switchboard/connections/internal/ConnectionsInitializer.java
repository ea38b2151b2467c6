package dev.switchboard.connections.internal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What every application with Switchboard gets from the container, registered through META-INF/services (not with
 * {@code @WebFilter} or {@code @WebListener}, which a {@code metadata-complete} web.xml would switch off):
 * <ul>
 *   <li>{@link NoHandshakeSession} in front of every request (it acts on WebSocket handshakes only), so that no
 *       handshake leaves an HTTP session behind;</li>
 *   <li>a listener that drains and closes every connection with 1001 when the application stops, before Liberty's
 *       own WebSocket listener closes whatever is left with its own reason and without draining.</li>
 * </ul>
 */
public final class ConnectionsInitializer implements ServletContainerInitializer {

    /** The filter's name in the application. */
    static final String FILTER = "switchboard-no-handshake-session";

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) {
        FilterRegistration.Dynamic filter = context.addFilter(FILTER, new NoHandshakeSession());
        if (filter != null) { // null: the application registered one under our name
            filter.setAsyncSupported(true);
            filter.addMappingForUrlPatterns(null, false, "/*");
        }
        context.addListener(new ShutdownListener());
    }

    /**
     * Liberty's WebSocket feature closes the application's sessions in its own {@code contextDestroyed}, which runs
     * before CDI destroys application-scoped beans: a {@code @PreDestroy} alone would find every connection already
     * gone, its outbox unwritten. Listeners are told in reverse order of registration and Liberty's initializer runs
     * before the application's, so this one runs first ({@code ShutdownIT}).
     */
    private static final class ShutdownListener implements ServletContextListener {
        private static final Logger LOG = Logger.getLogger(ShutdownListener.class.getName());

        @Override
        public void contextDestroyed(ServletContextEvent event) {
            try {
                BeanManager beans = CDI.current().getBeanManager();
                @SuppressWarnings("unchecked")
                Bean<ConnectionRegistry> bean = (Bean<ConnectionRegistry>) beans.resolve(
                        beans.getBeans(ConnectionRegistry.class));
                // Only the instance there is: one never used has no connections, and is not made just to be stopped.
                ConnectionRegistry registry = bean == null ? null
                        : beans.getContext(ApplicationScoped.class).get(bean);
                if (registry != null) {
                    registry.shutdown();
                }
            } catch (RuntimeException e) { // the application stops anyway: Liberty then closes what is left itself
                LOG.log(Level.WARNING, "Closing the connections at shutdown failed; the container closes them", e);
            }
        }
    }
}
