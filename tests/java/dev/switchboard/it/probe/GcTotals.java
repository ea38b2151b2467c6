package dev.switchboard.it.probe;

import java.lang.management.ManagementFactory;

/**
 * The garbage collections of this JVM so far, over its collector beans: how many, and their accumulated time. With G1
 * on JDK 17 those are the young, mixed and full pauses; Remark and Cleanup are not counted. The server's come from
 * {@code /api/probe/cpu}, the benchmark's own generator reads its JVM's directly.
 */
public record GcTotals(long collections, long millis) {

    public static GcTotals now() {
        long collections = 0;
        long millis = 0;
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            collections += Math.max(0, gc.getCollectionCount()); // -1: this bean does not count
            millis += Math.max(0, gc.getCollectionTime());
        }
        return new GcTotals(collections, millis);
    }

    /** @return the collections between {@code before} and this */
    public GcTotals since(GcTotals before) {
        return new GcTotals(collections - before.collections, millis - before.millis);
    }
}
