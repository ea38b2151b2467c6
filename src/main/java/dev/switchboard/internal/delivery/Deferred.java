package dev.switchboard.internal.delivery;

import java.util.ArrayList;
import java.util.List;

/**
 * Work that must wait until the caller holds no lock: telling callbacks how a frame ended (they run the application's
 * continuations, which may send to the same group or take other groups' locks) and closing connections. A group send
 * collects it while it holds the group's monitor and runs it once it has let go; callers that hold no lock pass
 * {@link #NOW}.
 *
 * <p>Not thread safe: one caller fills it and runs it.
 */
public class Deferred {

    /** For callers that hold no lock: each task runs as it is added. */
    public static final Deferred NOW = new Deferred() {
        @Override
        public void add(Runnable task) {
            task.run();
        }
    };

    private List<Runnable> tasks;

    /** @return an empty collection of tasks, for a caller about to take a lock */
    public static Deferred collect() {
        return new Deferred();
    }

    Deferred() {
    }

    /** Adds a task to run once the caller has let go of its locks ({@link #NOW}: runs it at once). */
    public void add(Runnable task) {
        if (tasks == null) {
            tasks = new ArrayList<>(2);
        }
        tasks.add(task);
    }

    /** Runs the tasks, in the order they were added; call it once the locks are let go. */
    public void run() {
        List<Runnable> due = tasks;
        tasks = null;
        if (due == null) {
            return;
        }
        RuntimeException first = null;
        for (Runnable task : due) {
            try {
                task.run();
            } catch (RuntimeException e) { // one failing continuation must not keep the others from being told
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
