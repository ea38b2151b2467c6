package dev.switchboard.connections.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PrincipalCountsTest {

    @Test
    void countsOpensAndClosesPerUser() {
        PrincipalCounts counts = new PrincipalCounts();
        assertThat(counts.opened("alice")).isEqualTo(1);
        assertThat(counts.opened("alice")).isEqualTo(2);
        assertThat(counts.opened("bob")).isEqualTo(1);
        assertThat(counts.users()).isEqualTo(2);
        counts.closed("alice");
        assertThat(counts.count("alice")).isEqualTo(1);
        counts.closed("alice");
        counts.closed("bob");
        assertThat(counts.users()).as("no counter left behind").isZero();
    }

    @Test
    void opensRacingClosesNeverLoseACount() throws Exception {
        // Opens and closes of one user from several threads: every count seen is between 1 and the threads, and
        // nothing is left at the end. (The race this class removes, a count bumped on a counter a close had just
        // dropped, is nanoseconds wide: this test did not catch it in the old code; the fix is one map operation.)
        PrincipalCounts counts = new PrincipalCounts();
        int threads = 4;
        int rounds = 100 * Integer.getInteger("switchboard.test.rounds", 2_000); // mutation testing runs fewer
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Future<int[]>> seen = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            seen.add(pool.submit(() -> {
                start.await(10, TimeUnit.SECONDS);
                int min = Integer.MAX_VALUE;
                int max = 0;
                for (int i = 0; i < rounds; i++) {
                    int count = counts.opened("alice");
                    min = Math.min(min, count);
                    max = Math.max(max, count);
                    counts.closed("alice");
                }
                return new int[] {min, max};
            }));
        }
        for (Future<int[]> minMax : seen) {
            int[] range = minMax.get(60, TimeUnit.SECONDS);
            assertThat(range[0]).as("fewest seen").isGreaterThanOrEqualTo(1);
            assertThat(range[1]).as("most seen").isLessThanOrEqualTo(threads);
        }
        pool.shutdown();
        assertThat(counts.count("alice")).isZero();
        assertThat(counts.users()).isZero();
    }
}
