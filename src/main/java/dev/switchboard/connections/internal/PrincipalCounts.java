package dev.switchboard.connections.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Open connections per user, for {@code switchboard.limits.max-connections-per-principal}. Each change is one atomic
 * step on the map: a counter fetched first and changed afterwards could be one that a close has just removed, and the
 * connection would then be counted nowhere (a user could open one more than the limit each time).
 */
final class PrincipalCounts {

    private final Map<String, Integer> open = new ConcurrentHashMap<>();

    /** @return how many connections {@code user} has open, this one included */
    int opened(String user) {
        return open.merge(user, 1, Integer::sum);
    }

    /** One of {@code user}'s connections closed. */
    void closed(String user) {
        open.computeIfPresent(user, (u, n) -> n == 1 ? null : n - 1);
    }

    /** @return connections {@code user} has open */
    int count(String user) {
        return open.getOrDefault(user, 0);
    }

    /** @return users with connections open */
    int users() {
        return open.size();
    }
}
