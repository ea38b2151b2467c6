package dev.switchboard.once.internal;

import jakarta.enterprise.context.ApplicationScoped;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which {@code @Once} methods have run, per scope: {@link #APPLICATION} or a connection id. A claim is taken before the
 * body runs and given back if it throws, so "claimed" means "ran, or is running now".
 */
@ApplicationScoped
public class OnceLedger {

    /** The scope of {@code @Once(per = APPLICATION)}; never dropped. */
    static final String APPLICATION = "";

    private final Map<String, Set<Method>> claims = new ConcurrentHashMap<>();

    /**
     * @return true if this caller claimed {@code method} in {@code scope} and must run it; false if it was claimed
     *     before
     */
    boolean claim(String scope, Method method) {
        return claims.computeIfAbsent(scope, s -> ConcurrentHashMap.newKeySet()).add(method);
    }

    /** Gives a claim back after the body threw. */
    void release(String scope, Method method) {
        Set<Method> claimed = claims.get(scope);
        if (claimed != null) {
            claimed.remove(method);
        }
    }

    /** Forgets a closed connection's claims. */
    void drop(String scope) {
        claims.remove(scope);
    }

    /** @return true if {@code scope} has claims */
    boolean has(String scope) {
        return claims.containsKey(scope);
    }

    /** @return how many connections have claims (the application's own scope is not counted) */
    public int connectionScopes() {
        return claims.size() - (claims.containsKey(APPLICATION) ? 1 : 0);
    }
}
