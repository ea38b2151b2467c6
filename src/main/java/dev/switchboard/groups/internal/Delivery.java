package dev.switchboard.groups.internal;

import dev.switchboard.groups.SendReport;
import dev.switchboard.internal.delivery.Deferred;
import dev.switchboard.internal.delivery.Frame;
import dev.switchboard.internal.delivery.Member;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/**
 * Queues one group's frames to its members on this server: under the group's monitor {@link #deliver} offers a frame
 * to each member; once the monitor is released {@link #finish} runs what was deferred and seals the tallies, which
 * then complete the reports. One mechanism for a send on one server and for what arrives from the backplane.
 */
final class Delivery implements Group.Sink {

    private final Group group;
    private final LongAdder totalDropped;
    private final Deferred later = Deferred.collect();
    private final List<SendTally> tallies = new ArrayList<>(2);
    int delivered; // messages, not frames: read after finish()
    int resets;

    Delivery(Group group, LongAdder totalDropped) {
        this.group = group;
        this.totalDropped = totalDropped;
    }

    /** Queues {@code frame} to every member but {@code except}; @return its tally, sealed by {@link #finish} */
    SendTally queue(Frame frame, long offset, Member except) {
        Member[] members = group.members();
        int recipients = members.length;
        if (except != null && group.contains(except)) {
            recipients--;
        }
        SendTally tally = new SendTally(group, totalDropped, offset, recipients);
        tallies.add(tally);
        for (Member member : members) {
            if (member != except) {
                member.offer(frame, group.policy.overflow(), tally, group, later); // one callback per send
            }
        }
        return tally;
    }

    @Override
    public void deliver(Frame frame, long offset, Member except, CompletableFuture<SendReport> report) {
        delivered++;
        SendTally tally = queue(frame, offset, except);
        if (report != null) {
            tally.report.thenAccept(report::complete);
        }
    }

    @Override
    public void reset(Frame frame) {
        resets++;
        queue(frame, group.lastOffset(), null);
    }

    /** Outside the monitor: completing reports runs the callers' continuations, which may send to the group again. */
    void finish() {
        try {
            later.run();
        } finally {
            for (SendTally tally : tallies) {
                tally.seal();
            }
        }
    }
}
