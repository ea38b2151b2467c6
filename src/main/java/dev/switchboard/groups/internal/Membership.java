package dev.switchboard.groups.internal;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The groups one connection is in. A join and the connection's close are linearizable through its monitor: a join
 * either happens before the close (and the close takes the connection out of that group too) or sees the close and
 * does nothing, so a closed connection never stays a member. Lock order: this, then a group's monitor.
 */
final class Membership {

    // Guarded by this.
    private final Set<String> groups = new LinkedHashSet<>();
    private boolean closed;

    /** @return true once {@link #close} ran: joins are refused */
    synchronized boolean closed() {
        return closed;
    }

    /** @return true if the connection is in {@code group} */
    synchronized boolean contains(String group) {
        return groups.contains(group);
    }

    /** @return how many groups the connection is in */
    synchronized int size() {
        return groups.size();
    }

    /** Records a join; the caller holds this monitor and has checked {@link #closed}. */
    void add(String group) {
        groups.add(group);
    }

    /** Records a leave; the caller holds this monitor. */
    void remove(String group) {
        groups.remove(group);
    }

    /** @return the groups, emptied; the caller holds this monitor */
    List<String> takeAll() {
        List<String> all = List.copyOf(groups);
        groups.clear();
        return all;
    }

    /** Marks the connection closed; the caller holds this monitor and then takes it out of {@link #takeAll}. */
    void markClosed() {
        closed = true;
    }

    synchronized Set<String> snapshot() {
        return Set.copyOf(groups);
    }
}
