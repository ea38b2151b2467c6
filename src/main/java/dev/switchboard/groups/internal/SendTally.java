package dev.switchboard.groups.internal;

import dev.switchboard.internal.delivery.FrameCallback;
import dev.switchboard.groups.SendReport;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** Counts the member writes of one send; completes the report when the last one ends. */
final class SendTally implements FrameCallback {
    private final Group group;
    private final LongAdder totalDropped;
    private final long offset;
    final CompletableFuture<SendReport> report = new CompletableFuture<>();
    private final int members;
    final ConcurrentLinkedQueue<SendReport.Failure> failures = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending; // one more than the members until seal(): the loop may still be offering

    SendTally(Group group, LongAdder totalDropped, long offset, int members) {
        this.group = group;
        this.totalDropped = totalDropped;
        this.offset = offset;
        this.members = members;
        this.pending = new AtomicInteger(members + 1);
    }

    @Override
    public void done(String connection, Throwable failure) {
        if (failure != null) {
            group.dropped.increment();
            totalDropped.increment();
            failures.add(new SendReport.Failure(connection, SendReport.Reason.of(failure),
                    String.valueOf(failure.getMessage())));
        }
        if (pending.decrementAndGet() == 0) {
            complete();
        }
    }

    void seal() {
        if (pending.decrementAndGet() == 0) {
            complete();
        }
    }

    private void complete() {
        List<SendReport.Failure> failed = List.copyOf(failures);
        report.complete(new SendReport(group.name, offset, members - failed.size(), failed));
    }
}
