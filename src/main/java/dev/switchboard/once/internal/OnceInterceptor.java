package dev.switchboard.once.internal;

import dev.switchboard.connections.Connection;
import dev.switchboard.connections.ConnectionEvent;
import dev.switchboard.once.Once;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Stereotype;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/** Implements {@link Once}; the semantics are stated there. */
@Once
@Interceptor
@Priority(Interceptor.Priority.LIBRARY_BEFORE)
public class OnceInterceptor {

    @Inject
    OnceLedger ledger;

    @AroundInvoke
    Object once(InvocationContext context) throws Exception {
        Method method = context.getMethod();
        Connection connection = perConnection(context) ? connectionIn(method, context.getParameters()) : null;
        String scope = connection == null ? OnceLedger.APPLICATION : connection.id();
        boolean fresh = connection != null && !ledger.has(scope);
        boolean claimed = ledger.claim(scope, method);
        if (connection != null) {
            if (fresh) {
                // Runs at once if the connection has already closed, so a claim never outlives its connection.
                connection.closed().thenRun(() -> ledger.drop(scope));
            }
            if (!connection.isOpen()) {
                ledger.drop(scope); // a claim that raced with the close hook
            }
        }
        if (!claimed) {
            return skipped(method.getReturnType());
        }
        try {
            return context.proceed();
        } catch (Exception | Error e) {
            ledger.release(scope, method);
            throw e;
        }
    }

    private static boolean perConnection(InvocationContext context) {
        Once once = binding(context);
        return once != null && once.per() == Once.Per.CONNECTION;
    }

    /** Where Weld (Liberty's CDI) puts the bindings that made this interceptor run: the exact one, however it came. */
    static final String WELD_BINDINGS = "org.jboss.weld.interceptor.bindings";

    /**
     * The {@link Once} that applies to this invocation: as the container resolved it when it says (Weld does; the
     * portable {@code InvocationContext.getInterceptorBindings} is Interceptors 2.2, Jakarta EE 11, not 10), else
     * found as CDI resolves it: on the method, else on the bean's class or the nearest superclass, directly or through
     * a stereotype. The declaring class alone is not enough: an inherited method is declared by a class without it.
     */
    static Once binding(InvocationContext context) {
        Object bindings = context.getContextData().get(WELD_BINDINGS);
        if (bindings instanceof Collection<?> all) {
            for (Object binding : all) {
                if (binding instanceof Once once) {
                    return once;
                }
            }
        }
        Method method = context.getMethod();
        Once once = method.getAnnotation(Once.class);
        Class<?> type = context.getTarget() != null ? context.getTarget().getClass() : method.getDeclaringClass();
        for (; once == null && type != null; type = type.getSuperclass()) {
            once = inAnnotations(type.getAnnotations(), new HashSet<>());
        }
        return once;
    }

    // Directly, or on a stereotype (stereotypes may carry stereotypes).
    private static Once inAnnotations(Annotation[] annotations, Set<Class<?>> seen) {
        for (Annotation annotation : annotations) {
            if (annotation instanceof Once once) {
                return once;
            }
        }
        for (Annotation annotation : annotations) {
            Class<? extends Annotation> type = annotation.annotationType();
            if (type.isAnnotationPresent(Stereotype.class) && seen.add(type)) {
                Once once = inAnnotations(type.getAnnotations(), seen);
                if (once != null) {
                    return once;
                }
            }
        }
        return null;
    }

    private static Connection connectionIn(Method method, Object[] parameters) {
        for (Object p : parameters) {
            if (p instanceof Connection c) {
                return c;
            }
            if (p instanceof ConnectionEvent e) {
                return e.connection();
            }
        }
        throw new IllegalStateException("@Once(per = CONNECTION) on " + method.getDeclaringClass().getName() + "."
                + method.getName() + " needs a Connection or ConnectionEvent parameter, found none");
    }

    private static Object skipped(Class<?> type) {
        if (!type.isPrimitive() || type == void.class) {
            return null;
        }
        if (type == boolean.class) {
            return false;
        }
        if (type == char.class) {
            return '\0';
        }
        if (type == long.class) {
            return 0L;
        }
        if (type == float.class) {
            return 0f;
        }
        if (type == double.class) {
            return 0d;
        }
        if (type == byte.class) {
            return (byte) 0;
        }
        if (type == short.class) {
            return (short) 0;
        }
        return 0;
    }
}
