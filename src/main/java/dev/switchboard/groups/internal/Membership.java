package dev.switchboard.groups.internal;

import java.util.ArrayDeque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The groups one connection is in. A join and the connection's close are linearizable through its monitor: a join
 * either happens before the close (and the close takes the connection out of that group too) or sees the close and
 * does nothing, so a closed connection never stays a member. Lock order: this, then a group's monitor.
 *
 * <p>Its membership events ({@code MemberJoined}, {@code MemberLeft}) reach observers in the order the changes took
 * this monitor, though they are fired outside it: each change queues its event here, and one thread at a time fires
 * what is queued ({@link #fire}).
 */
final class Membership {

    // Guarded by this.
    // Sized for a connection in one group and an event at a time, the usual case: the defaults' 16 slots would cost an
    // idle connection about 120 B more.
    private final Set<String> groups = new LinkedHashSet<>(2);
    private boolean closed;
    private final ArrayDeque<Object> events = new ArrayDeque<>(1);
    private boolean firing;

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

    /** Queues an event of a change made under this monitor; the caller holds it, and calls {@link #fire} after. */
    void queue(Object event) {
        events.add(event);
    }

    /**
     * Fires the queued events, in order, unless another thread is already doing so (it then fires these too). Called
     * with no lock held: observers may call back into the registry.
     */
    void fire(Consumer<Object> emit) {
        synchronized (this) {
            if (firing) {
                return; // the thread firing (perhaps this one, from an observer) fires it after the current one
            }
            firing = true;
        }
        while (true) {
            Object next;
            synchronized (this) {
                next = events.poll();
                if (next == null) {
                    firing = false;
                    return;
                }
            }
            boolean fired = false;
            try {
                emit.accept(next);
                fired = true;
            } finally {
                if (!fired) { // an observer threw: let the next change fire what is left
                    synchronized (this) {
                        firing = false;
                    }
                }
            }
        }
    }
}
