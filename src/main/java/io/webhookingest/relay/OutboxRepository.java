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

/**
 * The relay's view of the store: the head of the outbox queue in commit order, and taking acknowledged events off
 * it. Every change to the queue is fenced by the lease: it happens only while the lease row still names this holder
 * with the token it had when the round started, so the late work of an instance that lost the lease changes nothing.
 */
@ApplicationScoped
public class OutboxRepository {

    /**
     * The head of the queue, in sequence order, as long as the running total of the events' sizes stays within the
     * round's byte budget ($1), and always at least one event. The plan must stay a walk along the head of the
     * queue's primary key with one event lookup per entry, also as the generic plan of a cached statement: with the
     * limit as a parameter that plan assumes a tenth of the queue and sorts or hashes all of it, and a join the
     * planner may flatten can scan every partition of the event table. So the limit is a literal (the configured
     * batch size, an integer) and the lookup a lateral subquery with its own limit, which prunes to one partition.
     * An event deleted meanwhile comes back with null columns.
     */
    static final String NEXT_BATCH = """
            with head as (
                select seq, event_id, sum(size) over (order by seq) as total, row_number() over (order by seq) as n,
                       count(*) over () as queued
                from (select seq, event_id, size from event_outbox order by seq limit %d) q
            )
            select h.seq, h.event_id, e.source, e.type, e.subject, e.topic, e.received_at, coalesce(e.value, e.body),
                   e.trace_parent, h.queued
            from (select seq, event_id, queued from head where total <= $1 or n = 1) h
                 left join lateral (select * from event where event.id = h.event_id limit 1) e on true
            order by h.seq""";

    private static final String FENCE = """
            exists (select 1 from relay_lease where name = 'outbox' and holder = $2 and token = $3)""";

    /** Takes acknowledged events off the queue and writes down, in the same statement, when each was published. */
    static final String MARK_PUBLISHED = "with dequeued as (delete from event_outbox where seq = any($1) and " + FENCE
            + " returning event_id, replayed_at) insert into event_activity (event_id, at, action, replayed_at)"
            + " select event_id, now(), 'published', replayed_at from dequeued";

    /** Queue entries whose event is gone: they have nothing to publish and no history to write. */
    static final String DROP_ORPHANS = "delete from event_outbox where seq = any($1) and " + FENCE;

    /**
     * The update of the event is the statement itself, not one of its parts, so that it locks the event table before
     * the history's, in the order partition maintenance takes them.
     */
    static final String MARK_FAILED = "with dequeued as (delete from event_outbox where seq = $1 and " + FENCE
            + " returning event_id, replayed_at), noted as (insert into event_activity (event_id, at, action,"
            + " replayed_at, detail) select d.event_id, now(), 'failed', d.replayed_at, $4 from dequeued d"
            + " where exists (select 1 from event where event.id = d.event_id))"
            + " update event set status = 'failed', reason = $4 where id in (select event_id from dequeued)";

    private static final String BACKLOG = """
            select (select count(*) from event_outbox),
                   (select event_id from event_outbox order by seq limit 1),
                   (select count(*) from event where status = 'failed'),
                   (select count(*) from event where status = 'quarantined'),
                   (select id from event where status = 'quarantined' order by id limit 1)""";

    private final Pool pool;
    private final String nextBatch;
    private final long maxBatchBytes;

    OutboxRepository(Pool pool, IngestConfig config) {
        this.pool = pool;
        this.nextBatch = NEXT_BATCH.formatted(config.relay().batchSize());
        this.maxBatchBytes = config.relay().maxBatchBytes().asLongValue();
    }

    /** The head of the queue one round takes; {@code cut}: the byte budget left more of the head for the next. */
    public record Batch(List<PendingEvent> events, boolean cut) {
    }

    /**
     * The oldest pending events in commit order, at most the relay's batch size and, past the first, within its
     * byte budget. Queue entries whose event is gone are dropped from the queue here rather than left to block it
     * for ever.
     */
    public Uni<Batch> nextBatch(RelayLease.Fence fence) {
        return pool.preparedQuery(nextBatch).execute(Tuple.of(maxBatchBytes)).chain(rows -> {
            List<PendingEvent> batch = new ArrayList<>(rows.size());
            List<Long> orphans = new ArrayList<>();
            long queued = 0;
            for (Row row : rows) {
                queued = row.getLong(9);
                if (row.getString(2) == null) {
                    orphans.add(row.getLong(0));
                    continue;
                }
                batch.add(new PendingEvent(row.getLong(0), row.getUUID(1), row.getString(2), row.getString(3),
                        row.getString(4), row.getString(5), row.getOffsetDateTime(6).toInstant(),
                        row.getBuffer(7).getBytes(), row.getString(8)));
            }
            boolean cut = queued > rows.size();
            Uni<Void> dropped = orphans.isEmpty() ? Uni.createFrom().voidItem() : pool.preparedQuery(DROP_ORPHANS)
                    .execute(Tuple.of(orphans.toArray(Long[]::new), fence.holder(), fence.token())).replaceWithVoid();
            return dropped.replaceWith(new Batch(batch, cut));
        });
    }

    /** How many events are pending and the oldest one's id, how many failed, how many are quarantined. */
    public Uni<Backlog> backlog() {
        return pool.query(BACKLOG).execute().map(rows -> {
            Row row = rows.iterator().next();
            return new Backlog(row.getLong(0), row.getUUID(1), row.getLong(2), row.getLong(3), row.getUUID(4));
        });
    }

    /**
     * The unpublished and the kept: pending events and the oldest one's id (null when none), events the broker
     * refused for good, quarantined deliveries and the oldest one's id.
     */
    public record Backlog(long size, UUID oldest, long failed, long quarantined, UUID oldestQuarantined) {
    }

    /** Sets an event the broker refused for good aside, with the broker's reason, also in its history. */
    public Uni<Void> markFailed(PendingEvent event, String reason, RelayLease.Fence fence) {
        return pool.preparedQuery(MARK_FAILED).execute(Tuple.of(event.seq(), fence.holder(), fence.token(), reason))
                .replaceWithVoid();
    }

    /**
     * Takes acknowledged events off the queue, writing their publication into their history; returns how many were
     * still on it (none if the lease was lost).
     */
    public Uni<Integer> markPublished(List<Long> seqs, RelayLease.Fence fence) {
        if (seqs.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return pool.preparedQuery(MARK_PUBLISHED)
                .execute(Tuple.of(seqs.toArray(Long[]::new), fence.holder(), fence.token()))
                .map(rows -> rows.rowCount());
    }
}
