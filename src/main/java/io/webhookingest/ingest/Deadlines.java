package io.webhookingest.ingest;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Deadlines of one fixed delay, all watched by one periodic timer. Every delivery sets two (its body's pace, its
 * commit's time limit) and nearly always clears them within milliseconds; a Vert.x timer of its own costs a map
 * entry, a close hook and a scheduled task to set and again to cancel, about 3 % of the application's CPU under load.
 * With one delay, deadlines fall due in the order they were set, so the watch looks only at the head of a queue.
 * A deadline's action runs on the Vert.x context that set it, at most one tick of the watch late.
 */
final class Deadlines {

    private final long delayNanos;
    private final Queue<Deadline> queue = new ConcurrentLinkedQueue<>();

    Deadlines(Vertx vertx, Duration delay, Duration tick) {
        this.delayNanos = delay.toNanos();
        vertx.setPeriodic(Math.max(1, tick.toMillis()), ticked -> expire(System.nanoTime()));
    }

    /** Runs {@code action} on the current context once the delay has passed, unless the deadline is cleared first. */
    Deadline set(Runnable action) {
        Deadline deadline = new Deadline(System.nanoTime() + delayNanos,
                new Armed(Vertx.currentContext(), action));
        queue.add(deadline);
        return deadline;
    }

    /** How many deadlines are waiting, cleared or not, until they reach the head of the queue. */
    int waiting() {
        return queue.size();
    }

    private void expire(long now) {
        for (Deadline head = queue.peek(); head != null; head = queue.peek()) {
            Armed armed = head.armed;
            if (armed != null && head.due - now > 0) {
                return;
            }
            queue.poll();
            if (armed != null) {
                head.fire(armed);
            }
        }
    }

    /** One deadline; clearing it on the context that set it guarantees its action does not run. */
    static final class Deadline {

        private final long due;
        private volatile Armed armed;

        private Deadline(long due, Armed armed) {
            this.due = due;
            this.armed = armed;
        }

        void clear() {
            armed = null;
        }

        private void fire(Armed fired) {
            if (fired.context == null) {
                run(fired);
            } else {
                fired.context.runOnContext(ignored -> run(fired));
            }
        }

        private void run(Armed fired) {
            if (armed == fired) {
                armed = null;
                fired.action.run();
            }
        }
    }

    /** What a deadline runs and where; dropped when it is cleared, so that nothing it holds outlives the delivery. */
    private record Armed(Context context, Runnable action) {
    }
}
