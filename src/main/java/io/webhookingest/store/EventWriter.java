package io.webhookingest.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import jakarta.enterprise.event.Event;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgException;
import io.webhookingest.config.IngestConfig;

/**
 * Stores events with group commit: deliveries arriving while an insert is in flight queue up and share the next
 * multi-row insert, so a burst costs a few commits instead of one each.
 * <p>
 * The writer, not the HTTP request, owns each insert: a caller that goes away (a client disconnecting mid-request)
 * only stops waiting for the outcome, as a plain future cannot be cancelled; the insert itself always runs to commit
 * or rollback, and no pooled connection is left behind half-way through a transaction.
 */
@Singleton
public class EventWriter {

    private static final Logger LOG = Logger.getLogger(EventWriter.class);
    private static final String CHECK_VIOLATION = "23514";

    private final Event<EventsCommitted> committed;
    private final int batchSize;
    private final int maxQueued;
    private final long timeoutNanos;
    private final Lane stored;
    private final Lane rehearsed;

    EventWriter(EventRepository repository, Event<EventsCommitted> committed, IngestConfig config) {
        this.committed = committed;
        this.batchSize = config.store().batchSize();
        this.maxQueued = config.store().maxQueued();
        this.timeoutNanos = config.store().timeout().toNanos();
        this.stored = new Lane(repository::insert, true, config.store().concurrentBatches());
        // One batch at a time: the hot path's pool has room for the real batches and the relay besides.
        this.rehearsed = new Lane(repository::rehearse, false, 1);
    }

    /**
     * Stores the events of one delivery atomically; the outcome arrives once they are committed. Fails with
     * {@link StoreBusyException}, having written nothing, when too many deliveries are waiting or this one waited
     * past the store timeout before its insert started.
     */
    public Future<List<StoredEvent>> write(List<NewEvent> events) {
        return stored.write(events);
    }

    /**
     * As {@link #write}, for the deliveries an instance rehearses before it is ready: the same group commit and the
     * same statement, in batches of rehearsals only, each rolled back instead of committed. Nothing of them is kept or
     * announced, and no real delivery ever shares their batch.
     */
    public Future<List<StoredEvent>> rehearse(List<NewEvent> events) {
        return rehearsed.write(events);
    }

    /** A queue of writes and the batches in flight from it, each batch run by {@code insert}. */
    private final class Lane {

        private final Function<List<NewEvent>, Future<List<StoredEvent>>> insert;
        private final boolean announces;
        private final int batches;
        private final Queue<Write> queue = new ConcurrentLinkedQueue<>();
        private final AtomicInteger queuedEvents = new AtomicInteger();
        private final AtomicInteger inFlight = new AtomicInteger();
        private final AtomicInteger inFlightEvents = new AtomicInteger();

        Lane(Function<List<NewEvent>, Future<List<StoredEvent>>> insert, boolean announces, int batches) {
            this.insert = insert;
            this.announces = announces;
            this.batches = batches;
        }

        Future<List<StoredEvent>> write(List<NewEvent> events) {
            if (queuedEvents.addAndGet(events.size()) > maxQueued) {
                queuedEvents.addAndGet(-events.size());
                return Future.failedFuture(new StoreBusyException("Too many deliveries are waiting to be stored"));
            }
            Promise<List<StoredEvent>> outcome = Promise.promise();
            queue.add(new Write(events, outcome, Vertx.currentContext(), System.nanoTime() + timeoutNanos));
            flushIfCapacity();
            return outcome.future();
        }

        /**
         * Starts an insert if none is in flight, or, up to the lane's limit, if more events wait than the inserts in
         * flight carry: the one in flight then takes longer than its own batch took to gather (a stall, a burst), and
         * a second keeps the deliveries moving. Otherwise the waiting events join the next batch when the insert in
         * flight ends, so batches stay large and commits few: two inserts at once without need make smaller batches,
         * twice the commits, and take turns on the same last pages of the same indexes.
         */
        private void flushIfCapacity() {
            while (!queue.isEmpty()) {
                int current = inFlight.get();
                if (current >= batches || (current > 0 && !fallingBehind())) {
                    return;
                }
                if (inFlight.compareAndSet(current, current + 1)) {
                    List<Write> batch = drain(current > 0);
                    if (batch.isEmpty()) {
                        inFlight.decrementAndGet();
                    } else {
                        flush(batch);
                    }
                }
            }
        }

        /** More events wait than the inserts in flight carry. */
        private boolean fallingBehind() {
            return queuedEvents.get() > inFlightEvents.get();
        }

        /**
         * Takes the next batch off the queue; none if it is to join inserts in flight only when they fall behind and
         * they no longer do. Serialized: two drainers peeking the same head would both take it, one inserting it twice
         * and the other dropping the write behind it. Enqueuing stays lock-free. A caller may have seen the lane
         * behind while another drain was moving the waiting writes into its batch, so the check is made again here,
         * under the lock; and each write counts as in flight before it stops counting as queued, so that a drain never
         * sees fewer events in flight than it should.
         */
        private synchronized List<Write> drain(boolean onlyIfBehind) {
            List<Write> batch = new ArrayList<>();
            if (onlyIfBehind && !fallingBehind()) {
                return batch;
            }
            int rows = 0;
            long now = System.nanoTime();
            Write next;
            while ((next = queue.peek()) != null && (batch.isEmpty() || rows + next.events.size() <= batchSize)) {
                queue.poll();
                if (now - next.deadline > 0) {
                    queuedEvents.addAndGet(-next.events.size());
                    next.fail(new StoreBusyException("The delivery waited too long to be stored"));
                    continue;
                }
                inFlightEvents.addAndGet(next.events.size());
                queuedEvents.addAndGet(-next.events.size());
                batch.add(next);
                rows += next.events.size();
            }
            return batch;
        }

        private void flush(List<Write> batch) {
            int events = batch.stream().mapToInt(write -> write.events.size()).sum();
            store(batch, true, true).onComplete(ignored -> finish(events));
        }

        /** Completes every write of the batch, one way or the other; the returned future never fails. */
        private Future<Void> store(List<Write> batch, boolean retryAloneOnDataError, boolean retryIfRerouted) {
            List<NewEvent> rows = batch.stream().flatMap(write -> write.events.stream()).toList();
            return attempt(rows)
                    .map(outcomes -> {
                        complete(batch, rows, outcomes);
                        return (Void) null;
                    })
                    .recover(failure -> {
                        if (retryIfRerouted && isRerouted(failure)) {
                            // A partition was attached for these events while they were being inserted: insert again.
                            return store(batch, retryAloneOnDataError, false);
                        }
                        if (retryAloneOnDataError && batch.size() > 1 && isDataError(failure)) {
                            // One delivery's data failed the shared statement; retry each alone so only it fails.
                            LOG.warnf("A batch of %d deliveries failed (%s); retrying them one by one", batch.size(),
                                    failure.getMessage());
                            Future<Void> alone = Future.succeededFuture();
                            for (Write write : batch) {
                                alone = alone.compose(ignored -> store(List.of(write), false, true));
                            }
                            return alone;
                        }
                        RuntimeException outcome = batch.size() == 1 ? failureOfOne(failure) : unavailable(failure);
                        batch.forEach(write -> write.fail(outcome));
                        return Future.succeededFuture();
                    });
        }

        /** The insert's outcome, also when it throws rather than fail its future: a batch always finishes. */
        private Future<List<StoredEvent>> attempt(List<NewEvent> rows) {
            try {
                return insert.apply(rows);
            } catch (RuntimeException e) {
                return Future.failedFuture(e);
            }
        }

        /** Announces the commit first, so that the relay holds the events before any round can look for them. */
        private void complete(List<Write> batch, List<NewEvent> rows, List<StoredEvent> outcomes) {
            if (announces) {
                announce(rows, outcomes);
            }
            int offset = 0;
            for (Write write : batch) {
                write.complete(outcomes.subList(offset, offset + write.events.size()));
                offset += write.events.size();
            }
        }

        private void finish(int events) {
            inFlightEvents.addAndGet(-events);
            inFlight.decrementAndGet();
            flushIfCapacity();
        }
    }

    private void announce(List<NewEvent> rows, List<StoredEvent> outcomes) {
        List<NewEvent> pending = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            if (outcomes.get(i).created() && outcomes.get(i).status() == EventStatus.PENDING) {
                pending.add(rows.get(i));
            }
        }
        if (!pending.isEmpty()) {
            committed.fire(new EventsCommitted(pending));
        }
    }

    private static void onContext(Context context, Runnable action) {
        if (context == null || context == Vertx.currentContext()) {
            action.run();
        } else {
            context.runOnContext(ignored -> action.run());
        }
    }

    /** A delivery written alone: data Postgres refuses is refused for good, anything else is the store's failure. */
    private static RuntimeException failureOfOne(Throwable failure) {
        if (isDataError(failure)) {
            return new StoreRefusedException("The database refused the event's data (SQL state "
                    + ((PgException) failure).getSqlState() + ")", failure);
        }
        return unavailable(failure);
    }

    private static StoreUnavailableException unavailable(Throwable failure) {
        return failure instanceof StoreUnavailableException known ? known
                : new StoreUnavailableException("The database did not store the delivery: " + failure, failure);
    }

    /**
     * Postgres rejected the data (class 22 data exception, 23 integrity, 54 limits), not the connection; a row routed
     * to a partition that changed under it is not the data's fault.
     */
    private static boolean isDataError(Throwable failure) {
        if (failure instanceof PgException pg && pg.getSqlState() != null && !isRerouted(failure)) {
            String sqlClass = pg.getSqlState().substring(0, 2);
            return sqlClass.equals("22") || sqlClass.equals("23") || sqlClass.equals("54");
        }
        return false;
    }

    /** A row was routed to the default partition just as a partition for it was attached. */
    private static boolean isRerouted(Throwable failure) {
        return failure instanceof PgException pg && CHECK_VIOLATION.equals(pg.getSqlState())
                && pg.getErrorMessage() != null && pg.getErrorMessage().contains("violates partition constraint");
    }

    private record Write(List<NewEvent> events, Promise<List<StoredEvent>> outcome, Context context,
            long deadline) {

        void complete(List<StoredEvent> outcomes) {
            onContext(context, () -> outcome.tryComplete(outcomes));
        }

        void fail(Throwable failure) {
            onContext(context, () -> outcome.tryFail(failure));
        }
    }
}
