package dev.switchboard.connections.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class DropLogTest {

    private static final long S = TimeUnit.SECONDS.toNanos(1);

    private final List<String> lines = new ArrayList<>();

    @Test
    void theFirstDropIsLoggedAtOnceAndLaterOnesWaitForTheIntervalThenAFlushLogsThem() {
        DropLog log = new DropLog(0, lines::add);
        log.add(3, 1, 0);
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).contains("3 messages dropped and 1 connections closed");

        log.add(5, 0, 2 * S);
        log.add(0, 2, 4 * S);
        log.report(9 * S);
        assertThat(lines).as("held back within the interval").hasSize(1);

        log.report(10 * S); // no drop after the one at 4 s: only the flush can say it
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).contains("5 messages dropped and 2 connections closed");

        log.report(30 * S);
        assertThat(lines).as("nothing new to say").hasSize(2);
    }

    @Test
    void aFlushWithNothingPendingDoesNotHoldBackTheNextDrop() {
        DropLog log = new DropLog(0, lines::add);
        log.add(1, 0, 0);
        log.report(10 * S);
        log.report(15 * S);
        log.add(7, 0, 16 * S); // 16 s after the only line: logged at once
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).contains("7 messages dropped and 0 connections closed");
        log.add(1, 0, 17 * S);
        assertThat(lines).hasSize(2);
        log.report(25 * S);
        assertThat(lines).as("10 s after the line at 16 s, not after the last flush").hasSize(2);
        log.report(26 * S);
        assertThat(lines).hasSize(3);
    }

    @Test
    void theSharedLogWritesWarningsToItsLoggerAndFlushReachesIt() {
        Logger logger = Logger.getLogger(DropLog.class.getName());
        List<LogRecord> records = new ArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
        try {
            // Two drops leave a count pending whatever other tests logged before (the first may be logged at once);
            // a flush far ahead says it and moves the shared log's clock there. Later real drops in this JVM then
            // wait for a flush, which only this test cares about.
            long now = System.nanoTime();
            DropLog.record(1, 0);
            DropLog.record(1, 0);
            DropLog.flush(now + 1_000 * S);
            assertThat(records).isNotEmpty();
            records.clear();
            DropLog.record(4, 0);
            assertThat(records).as("within the interval of the line just written").isEmpty();
            DropLog.flush(now + 1_000 * S + 9 * S);
            assertThat(records).isEmpty();
            DropLog.flush(now + 1_000 * S + 10 * S);
            assertThat(records).hasSize(1);
            assertThat(records.get(0).getLevel()).isEqualTo(Level.WARNING);
            assertThat(records.get(0).getMessage()).contains("4 messages dropped and 0 connections closed");
        } finally {
            logger.removeHandler(handler);
        }
    }
}
