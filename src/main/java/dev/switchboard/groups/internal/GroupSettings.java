package dev.switchboard.groups.internal;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The group settings, read once from MicroProfile Config (server.xml variables feed it) and checked when the
 * application starts: a bad value fails the deployment, naming the key, the value and the rule.
 */
@ApplicationScoped
class GroupSettings {

    static final String NAME_MAX_LENGTH = "switchboard.group.name-max-length";
    static final String MAX_PER_CONNECTION = "switchboard.group.max-per-connection";
    static final String HISTORY_MESSAGES = "switchboard.group.history-messages";
    static final String HISTORY_BYTES = "switchboard.group.history-bytes";
    static final String HISTORY_TOTAL_BYTES = "switchboard.group.history-total-bytes";

    @Inject
    @ConfigProperty(name = NAME_MAX_LENGTH, defaultValue = "128")
    int maxNameLength;

    @Inject
    @ConfigProperty(name = MAX_PER_CONNECTION, defaultValue = "64")
    int maxPerConnection;

    @Inject
    @ConfigProperty(name = HISTORY_MESSAGES, defaultValue = "0")
    int historyMessages;

    @Inject
    @ConfigProperty(name = HISTORY_BYTES, defaultValue = "1048576")
    long historyBytes;

    @Inject
    @ConfigProperty(name = HISTORY_TOTAL_BYTES, defaultValue = "268435456")
    long historyTotalBytes;

    // Read through methods: the bean is injected as a client proxy, whose own fields are never set.

    int maxNameLength() {
        return maxNameLength;
    }

    int maxPerConnection() {
        return maxPerConnection;
    }

    int historyMessages() {
        return historyMessages;
    }

    long historyBytes() {
        return historyBytes;
    }

    long historyTotalBytes() {
        return historyTotalBytes;
    }

    /** For unit tests: the defaults above. */
    static GroupSettings defaults() {
        GroupSettings settings = new GroupSettings();
        settings.maxNameLength = 128;
        settings.maxPerConnection = 64;
        settings.historyMessages = 0;
        settings.historyBytes = 1 << 20;
        settings.historyTotalBytes = 1L << 28;
        return settings;
    }

    /** Makes the container create this bean, and so check it, when the application starts. */
    void checkAtStart(@Observes @Initialized(ApplicationScoped.class) Object started) {
    }

    @PostConstruct
    void check() {
        atLeast(NAME_MAX_LENGTH, maxNameLength, 1);
        atLeast(MAX_PER_CONNECTION, maxPerConnection, 1);
        atLeast(HISTORY_MESSAGES, historyMessages, 0);
        atLeast(HISTORY_BYTES, historyBytes, 0);
        atLeast(HISTORY_TOTAL_BYTES, historyTotalBytes, 0);
    }

    /** @throws IllegalArgumentException naming the key, the value and the bound, if {@code value < min} */
    static void atLeast(String key, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(key + " must be at least " + min + ", got " + value);
        }
    }
}
