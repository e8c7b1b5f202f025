package io.webhookingest.store;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;

/**
 * Work on Postgres that runs off the hot path on a timer: never two runs at once, so that a slow database is not
 * piled on, and a failure only logged (at debug: the next run retries, and the caller says what a failure costs).
 */
public final class BackgroundWrite {

    private final String what;
    private final Logger log;
    private final Supplier<Uni<Void>> work;
    private final AtomicBoolean running = new AtomicBoolean();

    /** @param what what the work does, for the log: "write the rejection log; those entries are dropped" */
    public BackgroundWrite(String what, Logger log, Supplier<Uni<Void>> work) {
        this.what = what;
        this.log = log;
        this.work = work;
    }

    /** Starts a run unless one is under way. */
    public void run() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        work.get().subscribe().with(done -> running.set(false), failure -> {
            running.set(false);
            log.debugf("Could not %s (%s)", what, failure.toString());
        });
    }

    /** Runs once more and waits for it, a little: at shutdown, so that what is held is not lost on a clean stop. */
    public void finish(Duration atMost) {
        try {
            work.get().await().atMost(atMost);
        } catch (RuntimeException e) {
            log.debugf("Could not %s before stopping (%s)", what, e.toString());
        }
    }
}
