package dev.switchboard.it.checker;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Judges a whole run afterwards, as Jepsen's checkers do: every rule is checked over every connection's recorded
 * history, and every violation is reported (not just the first).
 *
 * <ul>
 *   <li>Per connection, offsets strictly increase, and within one epoch unless a reset frame announced another.</li>
 *   <li>In a room that closes slow members (CLOSE) and keeps history, a connection's offsets are consecutive: each is
 *       one more than the one before, or one more than the offset a reset frame announced.</li>
 *   <li>A resume's seam is exact: the first message is the one after the offset asked for, or a reset comes first.</li>
 *   <li>Per connection, each publisher's messages arrive in the order it sent them, none twice.</li>
 *   <li>One offset of one epoch is one message, whoever received it.</li>
 *   <li>A connection open to the end of the run in a CLOSE room got every message up to the room's last offset, and
 *       from each publisher open to the end, every message from the first it got to the last one published.</li>
 *   <li>Every message a publisher sent was stamped (it saw its own echo), unless its connection ended first; no
 *       publisher got an error frame.</li>
 *   <li>Every close the server sent has an allowed code, and a reason when it refuses or ends a slow consumer.</li>
 * </ul>
 */
public final class DeliveryChecks {

    private static final Set<Integer> SERVER_CLOSE_CODES = Set.of(1000, 1001, 1008, 1011, 1013);
    /**
     * Messages a publisher may send while a reader's handshake and join are under way: the checker notes what each
     * publisher had sent when the reader began to connect, but the server joins it a little later, so those few are
     * not owed. Past them, a reader that got nothing from a publisher is a violation.
     */
    static final long JOIN_WINDOW = 20;

    private DeliveryChecks() {
    }

    /**
     * @param sessions every connection of the run
     * @param lastOffsets each history room's last offset at the end of the run, and its epoch ("offset@epoch")
     * @return the violations, empty if none
     */
    public static List<String> check(List<Session> sessions, Map<String, String> lastOffsets) {
        List<String> violations = new ArrayList<>();
        Map<String, String> byOffset = new HashMap<>(); // room/epoch/offset -> publisher:seq
        Map<String, Long> lastPublished = new HashMap<>(); // room/publisher -> last seq, for publishers open to the end
        for (Session s : sessions) {
            if (s.role == Session.Role.PUBLISHER && s.closeOnOverflow && s.openAtEnd) {
                synchronized (s) {
                    if (!s.published.isEmpty()) {
                        lastPublished.put(s.room + "/" + s.client, s.published.get(s.published.size() - 1));
                    }
                }
            }
        }
        for (Session s : sessions) {
            List<Session.Frame> frames;
            synchronized (s) {
                frames = List.copyOf(s.framesAtEnd < 0 ? s.frames : s.frames.subList(0, s.framesAtEnd));
            }
            long previous = -1;
            String epoch = null;
            long expectNext = s.resumedAfter >= 0 ? s.resumedAfter + 1 : -1; // -1: any first offset
            boolean first = true;
            Map<String, Long> lastSeq = new HashMap<>();
            Set<String> seen = new HashSet<>();
            for (Session.Frame f : frames) {
                if (f.error() != null) {
                    violations.add(s + ": error frame " + f.error());
                    continue;
                }
                if (f.reset() != null) {
                    if (!s.history) {
                        violations.add(s + ": reset frame in a room without history");
                    }
                    if (f.reset().offset() < previous) {
                        violations.add(s + ": reset to " + f.reset().offset() + " after offset " + previous);
                    }
                    epoch = f.reset().epoch();
                    expectNext = f.reset().offset() + 1;
                    lastSeq.clear(); // what history lost is announced: publishers' seqs may jump here
                    previous = f.reset().offset();
                    first = false;
                    continue;
                }
                Session.Message m = f.message();
                String key = m.publisher() + ":" + m.seq();
                if (!seen.add(key)) {
                    violations.add(s + ": " + key + " received twice");
                }
                Long before = lastSeq.put(m.publisher(), m.seq());
                if (before != null && m.seq() <= before) {
                    violations.add(s + ": from " + m.publisher() + " seq " + m.seq() + " after " + before);
                }
                if (before != null && s.closeOnOverflow && m.seq() > before + 1
                        && !m.publisher().equals(CheckerClient.SERVER)) {
                    violations.add(s + ": from " + m.publisher() + " seq " + m.seq() + " after " + before
                            + " (a gap)");
                }
                if (!s.history) {
                    continue;
                }
                if (epoch != null && !epoch.equals(m.epoch())) {
                    violations.add(s + ": epoch " + m.epoch() + " after " + epoch + " with no reset");
                }
                if (first && s.resumedAfter >= 0 && !m.epoch().equals(s.resumedEpoch)) {
                    violations.add(s + ": resumed in epoch " + s.resumedEpoch + " but got " + m.epoch()
                            + " with no reset");
                }
                epoch = m.epoch();
                if (m.offset() <= previous) {
                    violations.add(s + ": offset " + m.offset() + " after " + previous);
                }
                if (s.closeOnOverflow && expectNext >= 0 && m.offset() != expectNext) {
                    violations.add(s + ": offset " + m.offset() + " where " + expectNext + " was due"
                            + (first && s.resumedAfter >= 0 ? " (resume seam)" : ""));
                }
                previous = m.offset();
                expectNext = m.offset() + 1;
                first = false;
                String where = s.room + "/" + m.epoch() + "/" + m.offset();
                String other = byOffset.putIfAbsent(where, key);
                if (other != null && !other.equals(key)) {
                    violations.add(where + " is " + key + " for " + s + " but " + other + " for another connection");
                }
            }
            if (s.closeCode != null && !SERVER_CLOSE_CODES.contains(s.closeCode)) {
                violations.add(s + ": closed by the server with code " + s.closeCode);
            }
            if (s.closeCode != null && (s.closeCode == 1008 || s.closeCode == 1013)
                    && (s.closeReason == null || s.closeReason.isBlank())) {
                violations.add(s + ": closed with " + s.closeCode + " and no reason");
            }
            String last = lastOffsets.get(s.room);
            if (s.history && s.closeOnOverflow && s.openAtEnd && s.role != Session.Role.STALLED && last != null) {
                long lastOffset = Long.parseLong(last.substring(0, last.indexOf('@')));
                if (previous != lastOffset) {
                    violations.add(s + ": open to the end, last offset " + previous + ", the room's is " + lastOffset);
                }
            }
            if (s.closeOnOverflow && s.openAtEnd && s.role != Session.Role.STALLED) {
                for (Map.Entry<String, Long> p : lastPublished.entrySet()) {
                    if (!p.getKey().startsWith(s.room + "/")) {
                        continue;
                    }
                    String publisher = p.getKey().substring(s.room.length() + 1);
                    Long got = lastSeq.get(publisher);
                    long before = s.publishedBefore.getOrDefault(publisher, 0L);
                    boolean owed = got != null || p.getValue() > before + JOIN_WINDOW;
                    if (owed && (got == null || got < p.getValue())) {
                        violations.add(s + ": open to the end, last from " + publisher + " is seq " + got
                                + ", it published up to " + p.getValue() + " (" + before + " before this opened)");
                    }
                }
            }
            if (s.role == Session.Role.PUBLISHER && s.closeOnOverflow && s.openAtEnd) {
                Set<String> echoed = new HashSet<>(seen);
                synchronized (s) {
                    for (long seq : s.published) {
                        if (!echoed.contains(s.client + ":" + seq)) {
                            violations.add(s + ": published seq " + seq + " never came back");
                        }
                    }
                }
            }
        }
        return violations;
    }
}
