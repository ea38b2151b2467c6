package dev.switchboard.groups.internal;

import dev.switchboard.groups.GroupPolicy;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/** Group policies by name prefix: a group gets the policy of the longest prefix of its name, else the default. */
final class Policies {

    private final GroupPolicy defaultPolicy;
    private final Map<String, GroupPolicy> byPrefix = new ConcurrentHashMap<>();

    Policies(GroupPolicy defaultPolicy) {
        this.defaultPolicy = defaultPolicy;
    }

    void set(String prefix, GroupPolicy policy) {
        byPrefix.put(Objects.requireNonNull(prefix, "prefix"), Objects.requireNonNull(policy, "policy"));
    }

    GroupPolicy of(String group) {
        GroupPolicy best = defaultPolicy;
        int bestLength = -1;
        for (Map.Entry<String, GroupPolicy> e : byPrefix.entrySet()) {
            if (group.startsWith(e.getKey()) && e.getKey().length() > bestLength) {
                best = e.getValue();
                bestLength = e.getKey().length();
            }
        }
        return best;
    }
}
