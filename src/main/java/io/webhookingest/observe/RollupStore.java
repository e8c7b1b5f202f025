package io.webhookingest.observe;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The per-minute rollup in Postgres: each instance adds its counts with one statement; charts read a time range, per
 * source through the primary key or across sources through the minute index.
 */
@ApplicationScoped
public class RollupStore {

    /** One row of the rollup: what an instance, or all of them, counted for a source in a minute. */
    public record Minute(String source, Instant minute, String outcome, String reason, long deliveries,
            long delayMillisSum, long delayMillisMax) {
    }

    private static final String ADD = """
            insert into delivery_rollup (source, minute, outcome, reason, deliveries, delay_ms_sum, delay_ms_max)
            select * from unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::int8[], $6::int8[],
                $7::int8[])
            on conflict (source, minute, outcome, reason) do update
                set deliveries = delivery_rollup.deliveries + excluded.deliveries,
                    delay_ms_sum = delivery_rollup.delay_ms_sum + excluded.delay_ms_sum,
                    delay_ms_max = greatest(delivery_rollup.delay_ms_max, excluded.delay_ms_max)""";
    private static final String COLUMNS = "source, minute, outcome, reason, deliveries, delay_ms_sum, delay_ms_max";
    private static final String RANGE = "select " + COLUMNS + " from delivery_rollup where minute >= $1"
            + " and minute < $2 order by minute, source, outcome, reason";
    private static final String RANGE_OF_SOURCE = "select " + COLUMNS + " from delivery_rollup where source = $1"
            + " and minute >= $2 and minute < $3 order by minute, outcome, reason";
    private static final String EXPIRE = "delete from delivery_rollup where minute < $1";
    /** The rollup holds at most its retention of minutes per source and outcome: a few thousand rows to read. */
    private static final String LAST_SEEN = """
            select source, outcome, max(minute) from delivery_rollup
            where outcome in ('accepted', 'duplicate', 'rejected') group by source, outcome""";

    private final Pool pool;

    RollupStore(Pool pool) {
        this.pool = pool;
    }

    Uni<Void> add(List<Minute> minutes) {
        int size = minutes.size();
        String[] sources = new String[size];
        OffsetDateTime[] times = new OffsetDateTime[size];
        String[] outcomes = new String[size];
        String[] reasons = new String[size];
        Long[] deliveries = new Long[size];
        Long[] delaySums = new Long[size];
        Long[] delayMaxima = new Long[size];
        for (int i = 0; i < size; i++) {
            Minute minute = minutes.get(i);
            sources[i] = minute.source();
            times[i] = minute.minute().atOffset(ZoneOffset.UTC);
            outcomes[i] = minute.outcome();
            reasons[i] = minute.reason();
            deliveries[i] = minute.deliveries();
            delaySums[i] = minute.delayMillisSum();
            delayMaxima[i] = minute.delayMillisMax();
        }
        return pool.preparedQuery(ADD).execute(Tuple.from(new Object[] {sources, times, outcomes, reasons,
                deliveries, delaySums, delayMaxima})).replaceWithVoid();
    }

    /** The rows of minutes in {@code [from, until)}, oldest first. */
    public Uni<List<Minute>> range(Optional<String> source, Instant from, Instant until) {
        OffsetDateTime start = from.atOffset(ZoneOffset.UTC);
        OffsetDateTime end = until.atOffset(ZoneOffset.UTC);
        Uni<RowSet<Row>> rows = source.isPresent()
                ? pool.preparedQuery(RANGE_OF_SOURCE).execute(Tuple.of(source.get(), start, end))
                : pool.preparedQuery(RANGE).execute(Tuple.of(start, end));
        return rows.map(found -> {
            List<Minute> minutes = new ArrayList<>();
            for (Row row : found) {
                minutes.add(new Minute(row.getString(0), row.getOffsetDateTime(1).toInstant(), row.getString(2),
                        row.getString(3), row.getLong(4), row.getLong(5), row.getLong(6)));
            }
            return minutes;
        });
    }

    /** The last minute each source had a delivery with each outcome, by source and outcome. */
    public Uni<Map<String, Map<String, Instant>>> lastSeen() {
        return pool.query(LAST_SEEN).execute().map(rows -> {
            Map<String, Map<String, Instant>> seen = new TreeMap<>();
            for (Row row : rows) {
                seen.computeIfAbsent(row.getString(0), source -> new TreeMap<>()).put(row.getString(1),
                        row.getOffsetDateTime(2).toInstant());
            }
            return seen;
        });
    }

    Uni<Integer> expire(Instant before) {
        return pool.preparedQuery(EXPIRE).execute(Tuple.of(before.atOffset(ZoneOffset.UTC)))
                .map(RowSet::rowCount);
    }
}
