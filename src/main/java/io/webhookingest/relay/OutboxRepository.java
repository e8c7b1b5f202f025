package io.webhookingest.relay;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.webhookingest.config.IngestConfig;

/** The relay's view of the store: the oldest events in the outbox queue, and taking acknowledged ones off it. */
@ApplicationScoped
public class OutboxRepository {

    /**
     * The plan must stay a walk along the head of the queue's primary key with one event lookup per entry, also as
     * the generic plan of a cached statement: with the limit as a parameter that plan assumes a tenth of the queue
     * and sorts or hashes all of it, and a join the planner may flatten can scan the whole event table. So the limit
     * is a literal (the configured batch size, an integer) and the lookup a lateral subquery with its own limit.
     * An event deleted meanwhile comes back with null columns.
     */
    private static final String NEXT_BATCH = """
            select o.id, e.source, e.type, e.subject, e.topic, e.received_at, coalesce(e.value, e.body),
                   e.trace_parent
            from (select id from event_outbox order by id limit %d) o
                 left join lateral (select * from event where event.id = o.id limit 1) e on true
            order by o.id""";

    private static final String MARK_PUBLISHED = """
            delete from event_outbox where id = any($1)""";

    private static final String BACKLOG = """
            select (select count(*) from event_outbox),
                   (select id from event_outbox order by id limit 1),
                   (select count(*) from event where status = 'failed')""";

    private static final String MARK_FAILED = """
            with dequeued as (delete from event_outbox where id = $1 returning id)
            update event set status = 'failed', reason = $2 where id in (select id from dequeued)""";

    private final Pool pool;
    private final String nextBatch;

    OutboxRepository(Pool pool, IngestConfig config) {
        this.pool = pool;
        this.nextBatch = NEXT_BATCH.formatted(config.relay().batchSize());
    }

    /**
     * The oldest pending events, oldest first, at most the relay's batch size. Queue entries whose event is gone (retention deleting an event while
     * an operator replayed it) are dropped from the queue here rather than left to block it.
     */
    public Uni<List<PendingEvent>> nextBatch() {
        return pool.preparedQuery(nextBatch).execute().chain(rows -> {
            List<PendingEvent> batch = new ArrayList<>(rows.size());
            List<UUID> orphans = new ArrayList<>();
            for (Row row : rows) {
                if (row.getString(1) == null) {
                    orphans.add(row.getUUID(0));
                    continue;
                }
                batch.add(new PendingEvent(row.getUUID(0), row.getString(1), row.getString(2), row.getString(3),
                        row.getString(4), row.getOffsetDateTime(5).toInstant(), row.getBuffer(6).getBytes(),
                        row.getString(7)));
            }
            return markPublished(orphans).replaceWith(batch);
        });
    }

    /** How many events are pending, the id of the oldest (null when none), and how many failed for good. */
    public Uni<Backlog> backlog() {
        return pool.query(BACKLOG).execute().map(rows -> {
            Row row = rows.iterator().next();
            return new Backlog(row.getLong(0), row.getUUID(1), row.getLong(2));
        });
    }

    /** The unpublished events: how many are pending, the oldest pending one's id, how many failed for good. */
    public record Backlog(long size, UUID oldest, long failed) {
    }

    /** Sets an event the broker refused for good aside, with the broker's reason. */
    public Uni<Void> markFailed(UUID id, String reason) {
        return pool.preparedQuery(MARK_FAILED).execute(Tuple.of(id, reason)).replaceWithVoid();
    }

    /** Marks events published by taking them off the queue; returns how many were still on it. */
    public Uni<Integer> markPublished(List<UUID> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return pool.preparedQuery(MARK_PUBLISHED).execute(Tuple.of(ids.toArray(UUID[]::new)))
                .map(rows -> rows.rowCount());
    }
}
