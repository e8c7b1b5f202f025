package io.webhookingest.relay;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** The relay's view of the event table: what is waiting, and marking what the broker acknowledged. */
@ApplicationScoped
public class OutboxRepository {

    private static final String NEXT_BATCH = """
            select id, source, type, subject, topic, received_at, coalesce(value, body), trace_parent
            from event where status = 'pending' order by id limit $1""";

    private static final String MARK_PUBLISHED = """
            update event set status = 'published', published_at = now()
            where id = any($1) and status = 'pending'""";

    private static final String BACKLOG = """
            select (select count(*) from event where status = 'pending'),
                   (select id from event where status = 'pending' order by id limit 1),
                   (select count(*) from event where status = 'failed')""";

    private static final String MARK_FAILED = """
            update event set status = 'failed', reason = $2 where id = $1 and status = 'pending'""";

    private final Pool pool;

    OutboxRepository(Pool pool) {
        this.pool = pool;
    }

    /** The oldest pending events, oldest first. */
    public Uni<List<PendingEvent>> nextBatch(int limit) {
        return pool.preparedQuery(NEXT_BATCH).execute(Tuple.of(limit)).map(rows -> {
            List<PendingEvent> batch = new ArrayList<>(rows.size());
            for (Row row : rows) {
                batch.add(new PendingEvent(row.getUUID(0), row.getString(1), row.getString(2), row.getString(3),
                        row.getString(4), row.getOffsetDateTime(5).toInstant(), row.getBuffer(6).getBytes(),
                        row.getString(7)));
            }
            return batch;
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

    /** Marks events published; returns how many were still pending. */
    public Uni<Integer> markPublished(List<UUID> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return pool.preparedQuery(MARK_PUBLISHED).execute(Tuple.of(ids.toArray(UUID[]::new)))
                .map(rows -> rows.rowCount());
    }
}
