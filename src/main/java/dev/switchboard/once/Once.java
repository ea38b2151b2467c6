package dev.switchboard.once;

import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.enterprise.util.Nonbinding;
import jakarta.interceptor.InterceptorBinding;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * Runs the body of the annotated method once: Nexios' {@code @app.events.once(..)}. Works on observer methods and on
 * any business method of a CDI bean (it is an interceptor, so calls from inside the same instance are not counted).
 *
 * <ul>
 *   <li><b>What "once" counts against:</b> the declared method (its class and signature), across every instance of
 *       the bean: two {@code @Dependent} instances share one count, and so do the proxies of a normal-scoped bean. On
 *       a type (or on a stereotype of the type), each business method of it counts on its own, the ones it inherits
 *       included, with that type's {@code per}. With {@link Per#APPLICATION} the count lives as long as
 *       the deployed application; with {@link Per#CONNECTION} there is one count per connection, found in the first
 *       parameter that is a {@link dev.switchboard.connections.Connection} or a {@link
 *       dev.switchboard.connections.ConnectionEvent}, and it is dropped when that connection closes.</li>
 *   <li><b>Later calls</b> return without running the body: {@code null}, or {@code 0}/{@code false} for a primitive
 *       return type.</li>
 *   <li><b>Concurrent calls:</b> exactly one caller runs the body; the others return at once as later calls do. None
 *       waits, so none can wait forever, and none runs the body a second time.</li>
 *   <li><b>When the body throws:</b> the exception reaches that caller and the call does not count, so the next call
 *       runs the body again. Calls that were skipped while the failing one ran are not replayed.</li>
 *   <li>A {@code per = CONNECTION} method with no connection parameter fails with {@link IllegalStateException} on its
 *       first call, naming the method.</li>
 * </ul>
 */
@InterceptorBinding
@Documented
@Retention(RUNTIME)
@Target({METHOD, TYPE})
public @interface Once {

    /** @return what the count is kept per; the application by default */
    @Nonbinding
    Per per() default Per.APPLICATION;

    /** What a {@link Once} count is kept per. */
    enum Per {
        /** One count for the whole deployed application. */
        APPLICATION,
        /** One count per WebSocket connection, dropped when it closes. */
        CONNECTION
    }
}
