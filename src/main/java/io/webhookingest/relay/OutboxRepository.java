package io.webhookingest.relay;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Singleton;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.webhookingest.config.IngestConfig;
import io.webhookingest.store.HotPath;

/**
 * The relay's view of the store: the head of the outbox queue in commit order, and taking acknowledged events off
 * it. Every change to the queue is fenced by the lease: it happens only while the lease row still names this holder
 * with the token it had when the round started, so the late work of an instance that lost the lease changes nothing.
 */
@Singleton
public class OutboxRepository {

    /**
     * The head of the queue, in sequence order, as long as the running total of the events' sizes stays within the
     * round's byte budget ($1), and always at least one entry; each row also says how many entries the head holds
     * before the budget's cut. The plan must stay a walk along the head of the queue's primary key, also as the
     * generic plan of a cached statement: with the limit as a parameter that plan assumes a tenth of the queue and
     * sorts or hashes all of it, so the limit is a literal (the configured batch size, an integer).
     */
    static final String HEAD = """
            with head as (
                select seq, event_id, sum(size) over (order by seq) as total, row_number() over (order by seq) as n,
                       count(*) over () as queued
                from (select seq, event_id, size from event_outbox order by seq limit %d) q
            )
            select seq, event_id, queued from head where total <= $1 or n = 1 order by seq""";

    /**
     * The events of these ids ($1), for the entries of the head the relay does not hold in memory. Each is looked up
     * in a lateral subquery with its own limit, which prunes to one partition: a join the planner may flatten can scan
     * every partition of the event table. An event deleted meanwhile is missing from the result.
     */
    static final String EVENTS = """
            select e.id, e.source, e.type, e.subject, e.topic, e.received_at, coalesce(e.value, e.body), e.trace_parent
            from unnest($1::uuid[]) as wanted(id)
                 cross join lateral (select * from event where event.id = wanted.id limit 1) e""";

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
    private final RecentCommits recent;
    private final String head;
    private final long maxBatchBytes;

    OutboxRepository(@HotPath Pool pool, RecentCommits recent, IngestConfig config) {
        this.pool = pool;
        this.recent = recent;
        this.head = HEAD.formatted(config.relay().batchSize());
        this.maxBatchBytes = config.relay().maxBatchBytes().asLongValue();
    }

    /** The head of the queue one round takes; {@code cut}: the byte budget left more of the head for the next. */
    public record Batch(List<PendingEvent> events, boolean cut) {
    }

    /**
     * The oldest pending events in commit order, at most the relay's batch size and, past the first, within its
     * byte budget: those this instance committed lately from memory ({@link RecentCommits}), the others read. Queue
     * entries whose event is gone are dropped from the queue here rather than left to block it for ever.
     */
    public Uni<Batch> nextBatch(RelayLease.Fence fence) {
        return pool.preparedQuery(head).execute(Tuple.of(maxBatchBytes)).chain(rows -> {
            Map<UUID, Long> entries = new LinkedHashMap<>();
            Map<UUID, PendingEvent> found = new HashMap<>();
            Map<UUID, Long> toRead = new HashMap<>();
            long queued = 0;
            for (Row row : rows) {
                long seq = row.getLong(0);
                UUID id = row.getUUID(1);
                queued = row.getLong(2);
                entries.put(id, seq);
                PendingEvent kept = recent.take(seq, id);
                if (kept != null) {
                    found.put(id, kept);
                } else {
                    toRead.put(id, seq);
                }
            }
            boolean cut = queued > rows.size();
            return read(toRead, found).chain(() -> inOrder(entries, found, fence)).map(batch -> new Batch(batch, cut));
        });
    }

    /** Adds the events of these ids, as stored, to {@code found}, each with its queue entry's sequence. */
    private Uni<Void> read(Map<UUID, Long> toRead, Map<UUID, PendingEvent> found) {
        if (toRead.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return pool.preparedQuery(EVENTS).execute(Tuple.of(toRead.keySet().toArray(UUID[]::new))).invoke(rows -> {
            for (Row row : rows) {
                UUID id = row.getUUID(0);
                found.put(id, new PendingEvent(toRead.get(id), id, row.getString(1), row.getString(2),
                        row.getString(3), row.getString(4), row.getOffsetDateTime(5).toInstant(),
                        row.getBuffer(6).getBytes(), row.getString(7)));
            }
        }).replaceWithVoid();
    }

    /** The head's events in sequence order; the entries whose event is gone are taken off the queue. */
    private Uni<List<PendingEvent>> inOrder(Map<UUID, Long> entries, Map<UUID, PendingEvent> found,
            RelayLease.Fence fence) {
        List<PendingEvent> batch = new ArrayList<>(entries.size());
        List<Long> orphans = new ArrayList<>();
        entries.forEach((id, seq) -> {
            PendingEvent event = found.get(id);
            if (event == null) {
                orphans.add(seq);
            } else {
                batch.add(event);
            }
        });
        if (orphans.isEmpty()) {
            return Uni.createFrom().item(batch);
        }
        return pool.preparedQuery(DROP_ORPHANS).execute(Tuple.of(orphans.toArray(Long[]::new), fence.holder(),
                fence.token())).replaceWith(batch);
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
