package dev.switchboard.groups.internal;

import dev.switchboard.internal.delivery.Frame;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A group's latest messages by offset: a ring of frames with consecutive offsets, the oldest evicted first. Bounded by
 * the group's policy (messages, bytes) and by a budget every group's history shares, so that many rooms full of
 * history cannot take the heap. Past the budget, the histories above an even share of it give way: a group that
 * appends evicts its own oldest messages if it holds more than its share, and the registry trims the largest ones
 * ({@link #trim}), so rooms filled once and left idle cannot take the history of the rooms in use. A client that
 * resumes past evicted messages gets a reset frame, so it knows.
 *
 * <p>Not thread safe: guarded by its group's monitor.
 */
final class History {

    /** Bytes of history held by every group together, and the most they may hold. */
    static final class Budget {
        private final long maxBytes;
        private final AtomicLong used = new AtomicLong();
        private final AtomicInteger histories = new AtomicInteger(); // groups that keep history

        Budget(long maxBytes) {
            this.maxBytes = maxBytes;
        }

        long used() {
            return used.get();
        }

        boolean over() {
            return used.get() > maxBytes;
        }

        /** @return what each history may keep while the budget is over: an even share */
        long share() {
            return maxBytes / Math.max(1, histories.get());
        }
    }

    private final int maxMessages;
    private final long maxBytes;
    private final Budget budget;
    private Frame[] ring = new Frame[16];
    private int head;      // index of the oldest
    private int size;
    private long first;    // offset of the oldest, when size > 0
    private volatile long bytes; // volatile only so that the registry may order groups by it without their monitors

    private boolean counted; // in budget.histories

    History(int maxMessages, long maxBytes, Budget budget) {
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
        this.budget = budget;
        if (maxMessages > 0 && maxBytes > 0) {
            budget.histories.incrementAndGet();
            counted = true;
        }
    }

    /** Appends the message with {@code offset} (one more than the last one appended), then evicts what is over. */
    void append(long offset, Frame frame) {
        if (size == 0) {
            first = offset;
        } else if (offset != first + size) {
            throw new IllegalStateException("offset " + offset + " does not follow " + (first + size - 1));
        }
        if (size == ring.length) {
            // one more than the bound: a message is appended before the oldest is evicted
            Frame[] grown = new Frame[(int) Math.min(Math.max(16L, maxMessages + 1L), ring.length * 2L)];
            for (int i = 0; i < size; i++) {
                grown[i] = ring[(head + i) % ring.length];
            }
            ring = grown;
            head = 0;
        }
        ring[(head + size) % ring.length] = frame;
        size++;
        bytes += frame.bytes();
        budget.used.addAndGet(frame.bytes());
        while (size > 0 && (size > maxMessages || bytes > maxBytes || (budget.over() && bytes > budget.share()))) {
            evictOldest();
        }
    }

    /** Evicts the oldest messages while the shared budget is over and this history holds more than its share. */
    void trim() {
        while (size > 0 && budget.over() && bytes > budget.share()) {
            evictOldest();
        }
    }

    private void evictOldest() {
        Frame gone = ring[head];
        ring[head] = null;
        head = (head + 1) % ring.length;
        size--;
        first++;
        bytes -= gone.bytes();
        budget.used.addAndGet(-gone.bytes());
    }

    /** Evicts every message: the next one appended may have any offset. */
    void evictAll() {
        while (size > 0) {
            evictOldest();
        }
    }

    /** Gives back every byte, and its share, to the shared budget: the group is gone. */
    void clear() {
        evictAll();
        if (counted) {
            budget.histories.decrementAndGet();
            counted = false;
        }
    }

    /** @return the offset of the oldest message kept, or {@code lastOffset + 1} when none is */
    long firstOffset(long lastOffset) {
        return size == 0 ? lastOffset + 1 : first;
    }

    /** @return the message with {@code offset}, or null if it is not kept */
    Frame get(long offset) {
        if (size == 0 || offset < first || offset >= first + size) {
            return null;
        }
        return ring[(int) ((head + (offset - first)) % ring.length)];
    }

    int size() {
        return size;
    }

    long bytes() {
        return bytes;
    }
}
