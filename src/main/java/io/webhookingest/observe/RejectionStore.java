package io.webhookingest.observe;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The rejection log in Postgres: written in batches, one statement each; read newest first by keyset on the id, with
 * one statement per shape so that each plan walks an index whatever the statistics; expired in bounded batches.
 */
@ApplicationScoped
public class RejectionStore {

    private static final String COLUMNS = "id, received_at, source, status, reason, detail, hint, remote_address,"
            + " header_names, body_size, body_sha256";
    private static final String INSERT = """
            insert into rejection (received_at, source, status, reason, detail, hint, remote_address, header_names,
                body_size, body_sha256)
            select * from unnest($1::timestamptz[], $2::text[], $3::int2[], $4::text[], $5::text[], $6::text[],
                $7::text[], $8::text[], $9::int8[], $10::text[])""";
    private static final String NEWEST = "select " + COLUMNS + " from rejection where id < $1 order by id desc"
            + " limit $2";
    private static final String NEWEST_OF_SOURCE = "select " + COLUMNS + " from rejection where source = $1"
            + " and id < $2 order by id desc limit $3";
    private static final String EXPIRE = """
            delete from rejection where id = any(array(
                select id from rejection where received_at < $1 order by received_at limit $2 for update skip locked))""";

    private final Pool pool;

    RejectionStore(Pool pool) {
        this.pool = pool;
    }

    Uni<Void> insert(List<RefusedDelivery> batch) {
        int size = batch.size();
        OffsetDateTime[] times = new OffsetDateTime[size];
        String[] sources = new String[size];
        Short[] statuses = new Short[size];
        String[] reasons = new String[size];
        String[] details = new String[size];
        String[] hints = new String[size];
        String[] addresses = new String[size];
        String[] headers = new String[size];
        Long[] sizes = new Long[size];
        String[] digests = new String[size];
        for (int i = 0; i < size; i++) {
            RefusedDelivery refused = batch.get(i);
            times[i] = refused.receivedAt().atOffset(ZoneOffset.UTC);
            sources[i] = refused.source();
            statuses[i] = (short) refused.status();
            reasons[i] = refused.reason();
            details[i] = refused.detail();
            hints[i] = refused.hint().orElse(null);
            addresses[i] = refused.remoteAddress().orElse(null);
            headers[i] = String.join(",", refused.headerNames());
            sizes[i] = refused.bodySize().isPresent() ? refused.bodySize().getAsLong() : null;
            digests[i] = refused.bodySha256().orElse(null);
        }
        return pool.preparedQuery(INSERT).execute(Tuple.from(new Object[] {times, sources, statuses, reasons,
                details, hints, addresses, headers, sizes, digests})).replaceWithVoid();
    }

    /** Up to {@code limit} refused deliveries older than {@code before} (an id), newest first. */
    public Uni<List<RefusedDelivery>> newest(Optional<String> source, long before, int limit) {
        Uni<RowSet<Row>> rows = source.isPresent()
                ? pool.preparedQuery(NEWEST_OF_SOURCE).execute(Tuple.of(source.get(), before, limit))
                : pool.preparedQuery(NEWEST).execute(Tuple.of(before, limit));
        return rows.map(found -> {
            List<RefusedDelivery> refused = new ArrayList<>();
            for (Row row : found) {
                String headerNames = row.getString(8);
                refused.add(new RefusedDelivery(row.getLong(0), row.getOffsetDateTime(1).toInstant(),
                        row.getString(2), row.getShort(3), row.getString(4), row.getString(5),
                        Optional.ofNullable(row.getString(6)), Optional.ofNullable(row.getString(7)),
                        headerNames.isEmpty() ? List.of() : Arrays.asList(headerNames.split(",")),
                        row.getLong(9) == null ? OptionalLong.empty() : OptionalLong.of(row.getLong(9)),
                        Optional.ofNullable(row.getString(10))));
            }
            return refused;
        });
    }

    /** Deletes up to {@code limit} entries received before {@code cutoff}; how many it deleted. */
    Uni<Integer> expire(Instant cutoff, int limit) {
        return pool.preparedQuery(EXPIRE).execute(Tuple.of(cutoff.atOffset(ZoneOffset.UTC), limit))
                .map(rows -> rows.rowCount());
    }
}
