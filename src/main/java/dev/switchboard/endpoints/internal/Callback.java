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
import java.util.Set;
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
     * @param parameters the names of the path's parameters
     * @return the class's method for {@code kind}, resolved; {@link #NONE} if it declares or inherits none
     * @throws IllegalArgumentException naming the method and parameter, if Switchboard cannot call it
     */
    static Callback of(Class<?> endpoint, Kind kind, Set<String> parameters) {
        Method found = null;
        for (Class<?> c = endpoint; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Class<?> contract : c.getInterfaces()) {
                for (Method method : contract.getMethods()) {
                    if (method.isAnnotationPresent(kind.annotation)) {
                        throw new IllegalArgumentException(where(method) + ": @" + kind.annotation.getSimpleName()
                                + " on an interface is not read; put it on the method in " + endpoint.getName());
                    }
                }
            }
            for (Method method : c.getDeclaredMethods()) {
                if (method.isBridge() || method.isSynthetic() || !method.isAnnotationPresent(kind.annotation)) {
                    continue; // javac copies annotations onto bridge methods
                }
                if (!Modifier.isPublic(method.getModifiers()) || Modifier.isStatic(method.getModifiers())) {
                    throw new IllegalArgumentException(where(method) + " must be public and not static");
                }
                Method called = calledFor(endpoint, method);
                if (!called.isAnnotationPresent(kind.annotation)) {
                    throw new IllegalArgumentException(where(called) + " overrides @" + kind.annotation.getSimpleName()
                            + " " + where(method) + " without the annotation; annotate it, or remove it");
                }
                if (found == null) {
                    found = called;
                } else if (!found.equals(called)) {
                    throw new IllegalArgumentException(endpoint.getName() + " has two @"
                            + kind.annotation.getSimpleName() + " methods, " + where(found) + " and " + where(method)
                            + "; a Switchboard endpoint has at most one");
                }
            }
        }
        if (found == null) {
            return NONE;
        }
        if (kind == Kind.MESSAGE) {
            Class<?> returned = found.getReturnType();
            if (returned == String.class || java.util.concurrent.CompletionStage.class.isAssignableFrom(returned)
                    || java.util.Optional.class.isAssignableFrom(returned)) {
                throw new IllegalArgumentException(where(found) + " returns " + returned.getSimpleName() + "; return "
                        + "void, or what to send back as JSON (a JsonValue, or an object JSON-B encodes)");
            }
        } else if (found.getReturnType() != void.class) {
            throw new IllegalArgumentException(where(found) + " must return void");
        }
        found.setAccessible(true); // a public method of a non-public base class: public, but not accessible from here
        List<Function<Call, Object>> arguments = new ArrayList<>();
        for (Parameter parameter : found.getParameters()) {
            arguments.add(argument(found, parameter, kind, parameters));
        }
        return new Callback(found, List.copyOf(arguments));
    }

    /**
     * @return the method a call on an instance of {@code endpoint} runs for {@code declared}: the most derived override
     *     (for a generic superclass's method, the override whose bridge has {@code declared}'s erased signature)
     */
    private static Method calledFor(Class<?> endpoint, Method declared) {
        for (Class<?> c = endpoint; c != null; c = c.getSuperclass()) {
            for (Method method : c.getDeclaredMethods()) {
                if (method.getName().equals(declared.getName()) && !method.isBridge() && !method.isSynthetic()
                        && overrides(method, declared)) {
                    return method;
                }
            }
        }
        return declared;
    }

    private static boolean overrides(Method method, Method declared) {
        if (method.equals(declared)) {
            return true;
        }
        Class<?>[] mine = method.getParameterTypes();
        Class<?>[] theirs = declared.getParameterTypes();
        if (mine.length != theirs.length || !declared.getDeclaringClass().isAssignableFrom(method.getDeclaringClass())) {
            return false;
        }
        for (int i = 0; i < mine.length; i++) {
            if (!theirs[i].isAssignableFrom(mine[i])) { // equal, or narrowed by a type argument (the erasure is wider)
                return false;
            }
        }
        return true;
    }

    private static Function<Call, Object> argument(Method method, Parameter parameter, Kind kind,
            Set<String> parameters) {
        Class<?> type = parameter.getType();
        PathParam path = parameter.getAnnotation(PathParam.class);
        if (path != null) {
            if (type != String.class) {
                throw new IllegalArgumentException(where(method) + ": @PathParam(\"" + path.value() + "\") "
                        + parameter.getName() + " must be a String, not " + type.getSimpleName());
            }
            if (!parameters.contains(path.value())) {
                throw new IllegalArgumentException(where(method) + ": @PathParam(\"" + path.value() + "\") is not "
                        + "a parameter of the path; it has " + parameters);
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
