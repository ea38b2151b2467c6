package dev.switchboard.once.internal;

import dev.switchboard.connections.Connection;
import dev.switchboard.connections.ConnectionEvent;
import dev.switchboard.once.Once;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import java.lang.reflect.Method;

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
        Connection connection = perConnection(method) ? connectionIn(method, context.getParameters()) : null;
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

    private static boolean perConnection(Method method) {
        Once once = method.getAnnotation(Once.class);
        if (once == null) {
            once = method.getDeclaringClass().getAnnotation(Once.class);
        }
        return once != null && once.per() == Once.Per.CONNECTION;
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
