package dev.switchboard.endpoints.internal;

import dev.switchboard.connections.Connection;
import jakarta.json.JsonObject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;
import java.lang.annotation.Annotation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One lifecycle method of a Switchboard endpoint ({@code @OnOpen}, {@code @OnMessage}, ...), its parameters resolved
 * once, at deployment, to what each call passes. A method Switchboard cannot call fails the deployment here, naming the
 * method and the parameter, instead of failing on the first connection.
 */
final class Callback {

    /** What one call has to offer; a callback takes what its parameters ask for. */
    record Call(Session session, Connection connection, String text, JsonObject message, CloseReason reason,
            Throwable error) {

        static Call of(Session session, Connection connection) {
            return new Call(session, connection, null, null, null, null);
        }

        Call withMessage(String text, JsonObject message) {
            return new Call(session, connection, text, message, null, null);
        }

        Call withReason(CloseReason reason) {
            return new Call(session, connection, null, null, reason, null);
        }

        Call withError(Throwable error) {
            return new Call(session, connection, null, null, null, error);
        }
    }

    /** The lifecycle methods, and what each may take besides the connection, the session and path parameters. */
    enum Kind {
        OPEN(jakarta.websocket.OnOpen.class),
        MESSAGE(jakarta.websocket.OnMessage.class, String.class, JsonObject.class),
        CLOSE(jakarta.websocket.OnClose.class, CloseReason.class),
        ERROR(jakarta.websocket.OnError.class, Throwable.class);

        final Class<? extends Annotation> annotation;
        final List<Class<?>> extra;

        Kind(Class<? extends Annotation> annotation, Class<?>... extra) {
            this.annotation = annotation;
            this.extra = List.of(extra);
        }
    }

    /** A callback for a method the class does not declare. */
    static final Callback NONE = new Callback(null, List.of());

    private final Method method;
    private final List<Function<Call, Object>> arguments;

    private Callback(Method method, List<Function<Call, Object>> arguments) {
        this.method = method;
        this.arguments = arguments;
    }

    /**
     * @return the class's method for {@code kind}, resolved; {@link #NONE} if it declares none
     * @throws IllegalArgumentException naming the method and parameter, if Switchboard cannot call it
     */
    static Callback of(Class<?> endpoint, Kind kind) {
        Method found = null;
        for (Method method : endpoint.getMethods()) {
            if (method.isAnnotationPresent(kind.annotation)) {
                if (found != null) {
                    throw new IllegalArgumentException(endpoint.getName() + " has two @" + kind.annotation.getSimpleName()
                            + " methods, " + found.getName() + " and " + method.getName() + "; a Switchboard endpoint has "
                            + "at most one");
                }
                found = method;
            }
        }
        for (Method method : endpoint.getDeclaredMethods()) {
            if (method.isAnnotationPresent(kind.annotation) && !Modifier.isPublic(method.getModifiers())) {
                throw new IllegalArgumentException(where(method) + " must be public");
            }
        }
        if (found == null) {
            return NONE;
        }
        if (Modifier.isStatic(found.getModifiers())) {
            throw new IllegalArgumentException(where(found) + " must not be static");
        }
        List<Function<Call, Object>> arguments = new ArrayList<>();
        for (Parameter parameter : found.getParameters()) {
            arguments.add(argument(found, parameter, kind));
        }
        return new Callback(found, List.copyOf(arguments));
    }

    private static Function<Call, Object> argument(Method method, Parameter parameter, Kind kind) {
        Class<?> type = parameter.getType();
        PathParam path = parameter.getAnnotation(PathParam.class);
        if (path != null) {
            if (type != String.class) {
                throw new IllegalArgumentException(where(method) + ": @PathParam(\"" + path.value() + "\") "
                        + parameter.getName() + " must be a String, not " + type.getSimpleName());
            }
            String name = path.value();
            return call -> call.connection().pathParameters().get(name);
        }
        if (type == Connection.class) {
            return Call::connection;
        }
        if (type == Session.class) {
            return Call::session;
        }
        if (kind.extra.contains(type)) {
            if (type == String.class) {
                return Call::text;
            }
            if (type == JsonObject.class) {
                return Call::message;
            }
            if (type == CloseReason.class) {
                return Call::reason;
            }
            return Call::error;
        }
        throw new IllegalArgumentException(where(method) + ": parameter " + parameter.getName() + " of type "
                + type.getName() + " cannot be given; @" + kind.annotation.getSimpleName() + " takes Connection, "
                + "Session, @PathParam String" + (kind.extra.isEmpty() ? "" : ", " + kind.extra.stream()
                        .map(Class::getSimpleName).reduce((a, b) -> a + ", " + b).orElse("")));
    }

    private static String where(Method method) {
        return method.getDeclaringClass().getName() + "." + method.getName();
    }

    /** @return false for {@link #NONE} */
    boolean declared() {
        return method != null;
    }

    /**
     * Calls the method on {@code endpoint}.
     *
     * @return what it returned; null for {@link #NONE} and for void methods
     * @throws Exception what the method threw, unwrapped
     */
    Object call(Object endpoint, Call call) throws Exception {
        if (method == null) {
            return null;
        }
        Object[] values = new Object[arguments.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = arguments.get(i).apply(call);
        }
        try {
            return method.invoke(endpoint, values);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception exception) {
                throw exception;
            }
            throw (Error) cause;
        }
    }

    @Override
    public String toString() {
        return method == null ? "none" : where(method);
    }
}
