package dev.switchboard.events;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.enterprise.util.AnnotationLiteral;
import jakarta.inject.Qualifier;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.util.Objects;

/**
 * Qualifier naming the space an event belongs to, like {@code app.events.namespace("websocket")} in Nexios.
 *
 * <p>An observer written {@code @Observes @Namespace("chat") MessageReceived m} is notified only of events fired in
 * namespace {@code chat}. An observer <em>without</em> a namespace ({@code @Observes MessageReceived m}) is notified of
 * events of that type in every namespace, and of those fired with no namespace at all: this is CDI's rule that an
 * observer's qualifiers must be a subset of the event's.
 *
 * <p>To fire: inject {@code @Inject @Namespace("chat") Event<ChatMessage>}, or use {@link Events#namespace(String)} when
 * the namespace is known only at run time.
 */
@Qualifier
@Documented
@Retention(RUNTIME)
@Target({TYPE, METHOD, FIELD, PARAMETER})
public @interface Namespace {

    /** Namespace of the WebSocket lifecycle events when the endpoint names none. */
    String WS = "ws";

    /** Namespace of the group membership events ({@code MemberJoined}, {@code MemberLeft}). */
    String GROUP = "group";

    /** @return the namespace, for example {@code "ws"} or {@code "websocket"} */
    String value();

    /** Runtime instance of {@link Namespace}, for {@code Event.select(..)} and {@link Events#namespace(String)}. */
    final class Literal extends AnnotationLiteral<Namespace> implements Namespace {

        private static final long serialVersionUID = 1L;

        /** The namespace of WebSocket lifecycle events, {@value Namespace#WS}. */
        public static final Literal WS = new Literal(Namespace.WS);

        private final String value;

        private Literal(String value) {
            this.value = value;
        }

        /**
         * @param value the namespace; not null, not blank
         * @return the qualifier instance for {@code value}
         * @throws IllegalArgumentException if {@code value} is null or blank
         */
        public static Literal of(String value) {
            if (Objects.requireNonNullElse(value, "").isBlank()) {
                throw new IllegalArgumentException("namespace must not be blank, got \"" + value + "\"");
            }
            return Namespace.WS.equals(value) ? WS : new Literal(value);
        }

        @Override
        public String value() {
            return value;
        }
    }
}
