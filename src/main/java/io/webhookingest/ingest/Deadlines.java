package io.webhookingest.ingest;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Deadlines of one fixed delay, watched by one periodic timer per event loop. Every delivery sets two (its body's
 * pace, its commit's time limit) and nearly always clears them within milliseconds; a Vert.x timer of its own costs a
 * map entry, a close hook and a scheduled task to set and again to cancel, about 3 % of the application's CPU under
 * load. Here a deadline is a link in its event loop's list, in the order the deadlines were set, which with one delay
 * is the order they fall due: clearing one unlinks it, and the watch looks only at the head of the list. The watch is
 * a task of the event loop itself, outside any Vert.x context; a deadline's action runs on the context that set it, at
 * most one tick of the watch late. Off an event loop (a worker's context), or once closed, a deadline is a Vert.x
 * timer as before.
 */
final class Deadlines {

    /** How often each event loop's watch looks for deadlines that fell due: how late one may run. */
    static final Duration TICK = Duration.ofMillis(100);

    private static final Logger LOG = Logger.getLogger(Deadlines.class);

    private final Vertx vertx;
    private final long delayNanos;
    private final long tickMillis;
    /** The watches' periodic tasks, stopped with the bean that owns these deadlines (dev mode keeps the event loops). */
    private final Queue<Future<?>> ticks = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;
    /** This event loop's watch; none on a thread that is not one of the Vert.x event loops. */
    private final FastThreadLocal<Watch> watches = new FastThreadLocal<>() {
        @Override
        protected Watch initialValue() {
            for (EventExecutor loop : vertx.nettyEventLoopGroup()) {
                if (loop.inEventLoop()) {
                    Watch watch = new Watch(loop);
                    Future<?> tick = loop.scheduleAtFixedRate(() -> watch.expire(System.nanoTime()), tickMillis,
                            tickMillis, TimeUnit.MILLISECONDS);
                    ticks.add(tick);
                    if (closed) {
                        tick.cancel(false);
                    }
                    return watch;
                }
            }
            return null;
        }
    };

    Deadlines(Vertx vertx, Duration delay, Duration tick) {
        this.vertx = vertx;
        this.delayNanos = delay.toNanos();
        this.tickMillis = Math.max(1, tick.toMillis());
    }

    /** Runs {@code action} on the current context once the delay has passed, unless the deadline is cleared first. */
    Deadline set(Runnable action) {
        Context context = Vertx.currentContext();
        Watch watch = context != null && Context.isOnEventLoopThread() && !closed ? watches.get() : null;
        if (watch == null) {
            long timer = vertx.setTimer(Math.max(1, delayNanos / 1_000_000), expired -> action.run());
            return () -> vertx.cancelTimer(timer);
        }
        return watch.add(new Link(System.nanoTime() + delayNanos, context, watch.loop, action));
    }

    /**
     * Stops watching: the watched deadlines not yet due never run (a worker's timers still do). Each event loop also
     * drops its watch, which would otherwise keep this instance, and in dev mode the application's class loader, for
     * as long as the event loop lives.
     */
    void close() {
        closed = true;
        ticks.forEach(tick -> tick.cancel(false));
        for (EventExecutor loop : vertx.nettyEventLoopGroup()) {
            try {
                loop.execute(watches::remove);
            } catch (RejectedExecutionException e) {
                // The event loop is shutting down, and its thread's locals go with it.
            }
        }
    }

    /** How many deadlines this event loop's watch holds, for tests; called on the event loop. */
    int waiting() {
        Watch watch = watches.get();
        return watch == null ? 0 : watch.size;
    }

    /**
     * A deadline that has been set. Cleared on the thread that set it, its action does not run; cleared from another
     * thread, the clear is handed to that thread, and an action already due may still run.
     */
    interface Deadline {

        void clear();
    }

    /** The deadlines one event loop set and has not cleared, oldest first; used only from that event loop's thread. */
    private static final class Watch {

        private final EventExecutor loop;
        private Link head;
        private Link tail;
        private int size;

        Watch(EventExecutor loop) {
            this.loop = loop;
        }

        Link add(Link link) {
            link.watch = this;
            link.previous = tail;
            if (tail == null) {
                head = link;
            } else {
                tail.next = link;
            }
            tail = link;
            size++;
            return link;
        }

        void remove(Link link) {
            if (link.previous == null) {
                head = link.next;
            } else {
                link.previous.next = link.next;
            }
            if (link.next == null) {
                tail = link.previous;
            } else {
                link.next.previous = link.previous;
            }
            link.watch = null;
            link.previous = null;
            link.next = null;
            size--;
        }

        /** Fires what is due; a failure is logged, since one escaping would end the periodic task for good. */
        void expire(long now) {
            while (head != null && now - head.due >= 0) {
                Link due = head;
                remove(due);
                try {
                    due.fire();
                } catch (RuntimeException e) {
                    LOG.error("A deadline could not be handed to its context", e);
                }
            }
        }
    }

    private static final class Link implements Deadline {

        private final long due;
        private final Context context;
        private final EventExecutor loop;
        private Runnable action;
        private Watch watch;
        private Link previous;
        private Link next;

        Link(long due, Context context, EventExecutor loop, Runnable action) {
            this.due = due;
            this.context = context;
            this.loop = loop;
            this.action = action;
        }

        @Override
        public void clear() {
            if (!loop.inEventLoop()) {
                try {
                    loop.execute(this::clear);
                } catch (RejectedExecutionException e) {
                    // The event loop is shutting down, and no deadline of it fires any more.
                }
                return;
            }
            if (watch != null) {
                watch.remove(this);
            }
            action = null;
        }

        /** Hands the action to the context that set it, where a clear made before it runs still stops it. */
        void fire() {
            context.runOnContext(ignored -> {
                Runnable fired = action;
                action = null;
                if (fired != null) {
                    fired.run();
                }
            });
        }
    }
}
