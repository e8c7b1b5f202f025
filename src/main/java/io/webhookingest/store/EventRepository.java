package io.webhookingest.store;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import io.webhookingest.verify.ReplayGuard;

/**
 * The write side of the event table, on the reactive client. A batch of events is one statement and one commit,
 * which also queues the events to publish in {@code event_outbox}. The unique constraint on (source, identity)
 * decides atomically which delivery of an identity created the event, and the primary key of {@code seen_nonce}
 * decides which delivery of a signed nonce is the first.
 */
@ApplicationScoped
public class EventRepository {

    private static final String INSERT_EVENTS = """
            insert into event (id, source, identity, type, subject, status, topic, received_at, body, value, headers,
                               reason, url, trace_parent, content_key)
            select id, source, identity, type, subject, status, topic, received_at, body, value, headers::json,
                   reason, url, trace_parent, content_key
            from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                        $8::timestamptz[], $9::bytea[], $10::bytea[], $11::text[], $12::text[], $13::text[],
                        $14::text[], $15::bytea[])
                 as t(id, source, identity, type, subject, status, topic, received_at, body, value, headers,
                      reason, url, trace_parent, content_key)
            """;

    /** The pending events among those inserted ($16) are queued for the relay by the same statement. */
    private static final String QUEUE_PENDING = """
            , queued as (
                insert into event_outbox (id) select id from inserted where id = any($16::uuid[])
            )
            """;

    /**
     * Without a conflict target, a conflict on either unique key makes the event a duplicate: its identity, or, for
     * identities no signature covers, its content key.
     */
    private static final String INSERT = "with inserted as (\n" + INSERT_EVENTS + """
                on conflict do nothing
                returning id
            )
            """ + QUEUE_PENDING + "select id from inserted";

    /** Records the nonce and, only if it was not seen within its window, inserts the events: one statement. */
    private static final String INSERT_GUARDED = """
            with guard as (
                insert into seen_nonce (source, nonce, expires_at) values ($17, $18, $19)
                on conflict (source, nonce) do update set expires_at = excluded.expires_at
                    where seen_nonce.expires_at < now()
                returning 1
            ), inserted as (
            """ + INSERT_EVENTS + """
                where exists (select 1 from guard)
                on conflict do nothing
                returning id
            )
            """ + QUEUE_PENDING + "select exists (select 1 from guard), array(select id from inserted)";

    private static final String FIND_EXISTING = """
            select e.id, e.source, e.identity from event e
            where (e.source, e.identity) in (select * from unnest($1::text[], $2::text[]))""";

    /** The events that already had these content keys: what a duplicate that is new by identity duplicates. */
    private static final String FIND_BY_CONTENT_KEY = """
            select e.id, e.source, e.content_key from event e
            where (e.source, e.content_key) in (select * from unnest($1::text[], $2::bytea[]))""";

    private final SqlClient pool;

    EventRepository(Pool pool) {
        this.pool = pool.getDelegate();
    }

    /**
     * Inserts the events in one statement. The result has one entry per event, in order: created, or a duplicate
     * carrying the id of the event that already had its identity (also when that event is earlier in this batch).
     * The hot path: plain Vert.x futures, no per-callback context capture.
     */
    public Future<List<StoredEvent>> insert(List<NewEvent> events) {
        return insert(pool, events);
    }

    /** As {@link #insert(List)}, inside the caller's transaction. */
    public Uni<List<StoredEvent>> insert(io.vertx.mutiny.sqlclient.SqlClient transaction, List<NewEvent> events) {
        return Uni.createFrom().completionStage(() -> insert(transaction.getDelegate(), events).toCompletionStage());
    }

    private Future<List<StoredEvent>> insert(SqlClient client, List<NewEvent> events) {
        return client.preparedQuery(INSERT).execute(Tuple.tuple(eventColumns(events)))
                .compose(rows -> {
                    Set<UUID> created = new HashSet<>();
                    for (Row row : rows) {
                        created.add(row.getUUID(0));
                    }
                    return outcomes(client, events, created);
                });
    }

    /**
     * Inserts the events of one delivery only if its nonce was not seen within its window; empty when it was (a
     * replay), in which case nothing is stored.
     */
    public Future<Optional<List<StoredEvent>>> insertGuarded(List<NewEvent> events, String source,
            ReplayGuard guard) {
        List<Object> parameters = new ArrayList<>(eventColumns(events));
        parameters.add(source);
        parameters.add(guard.nonce());
        parameters.add(guard.expiresAt().atOffset(ZoneOffset.UTC));
        return pool.preparedQuery(INSERT_GUARDED).execute(Tuple.tuple(parameters))
                .compose(rows -> {
                    Row row = rows.iterator().next();
                    if (!row.getBoolean(0)) {
                        return Future.succeededFuture(Optional.<List<StoredEvent>>empty());
                    }
                    Set<UUID> created = new HashSet<>(Arrays.asList(row.getArrayOfUUIDs(1)));
                    return outcomes(pool, events, created).map(Optional::of);
                });
    }

    private Future<List<StoredEvent>> outcomes(SqlClient client, List<NewEvent> events, Set<UUID> created) {
        if (created.size() == events.size()) {
            return Future.succeededFuture(
                    events.stream().map(e -> new StoredEvent(e.id(), true, e.status())).toList());
        }
        return resolveDuplicates(client, events, created);
    }

    private static List<Object> eventColumns(List<NewEvent> events) {
        int size = events.size();
        UUID[] ids = new UUID[size];
        String[] sources = new String[size];
        String[] identities = new String[size];
        String[] types = new String[size];
        String[] subjects = new String[size];
        String[] statuses = new String[size];
        String[] topics = new String[size];
        OffsetDateTime[] receivedAt = new OffsetDateTime[size];
        Buffer[] bodies = new Buffer[size];
        Buffer[] values = new Buffer[size];
        String[] headers = new String[size];
        String[] reasons = new String[size];
        String[] urls = new String[size];
        String[] traceParents = new String[size];
        Buffer[] contentKeys = new Buffer[size];
        for (int i = 0; i < size; i++) {
            NewEvent event = events.get(i);
            ids[i] = event.id();
            sources[i] = event.source();
            identities[i] = event.identity();
            types[i] = event.type();
            subjects[i] = event.subject();
            statuses[i] = event.status().column();
            topics[i] = event.topic();
            receivedAt[i] = event.receivedAt().atOffset(ZoneOffset.UTC);
            bodies[i] = Buffer.buffer(event.body());
            values[i] = event.value() == null ? null : Buffer.buffer(event.value());
            headers[i] = event.headersJson();
            reasons[i] = event.reason();
            urls[i] = event.url();
            traceParents[i] = event.traceParent();
            contentKeys[i] = event.contentKey() == null ? null : Buffer.buffer(event.contentKey());
        }
        UUID[] pending = events.stream().filter(e -> e.status() == EventStatus.PENDING).map(NewEvent::id)
                .toArray(UUID[]::new);
        return List.of(ids, sources, identities, types, subjects, statuses, topics, receivedAt, bodies, values,
                headers, reasons, urls, traceParents, contentKeys, pending);
    }

    private Future<List<StoredEvent>> resolveDuplicates(SqlClient client, List<NewEvent> events,
            Set<UUID> created) {
        List<NewEvent> duplicates = events.stream().filter(e -> !created.contains(e.id())).toList();
        String[] sources = duplicates.stream().map(NewEvent::source).toArray(String[]::new);
        String[] identities = duplicates.stream().map(NewEvent::identity).toArray(String[]::new);
        return client.preparedQuery(FIND_EXISTING)
                .execute(Tuple.tuple().addArrayOfString(sources).addArrayOfString(identities))
                .compose(rows -> {
                    Map<List<String>, UUID> byIdentity = new HashMap<>();
                    for (Row row : rows) {
                        byIdentity.put(List.of(row.getString(1), row.getString(2)), row.getUUID(0));
                    }
                    List<NewEvent> byContent = duplicates.stream().filter(e -> e.contentKey() != null
                            && !byIdentity.containsKey(List.of(e.source(), e.identity()))).toList();
                    return findByContentKey(client, byContent).map(byKey -> {
                        List<StoredEvent> outcomes = new ArrayList<>(events.size());
                        for (NewEvent event : events) {
                            if (created.contains(event.id())) {
                                outcomes.add(new StoredEvent(event.id(), true, event.status()));
                            } else {
                                UUID existing = byIdentity.get(List.of(event.source(), event.identity()));
                                outcomes.add(new StoredEvent(existing != null ? existing
                                        : byKey.get(contentKey(event.source(), event.contentKey())), false,
                                        event.status()));
                            }
                        }
                        return outcomes;
                    });
                });
    }

    private Future<Map<String, UUID>> findByContentKey(SqlClient client, List<NewEvent> events) {
        if (events.isEmpty()) {
            return Future.succeededFuture(Map.of());
        }
        Buffer[] keys = events.stream().map(e -> Buffer.buffer(e.contentKey())).toArray(Buffer[]::new);
        return client.preparedQuery(FIND_BY_CONTENT_KEY)
                .execute(Tuple.tuple().addArrayOfString(events.stream().map(NewEvent::source).toArray(String[]::new))
                        .addArrayOfBuffer(keys))
                .map(rows -> {
                    Map<String, UUID> found = new HashMap<>();
                    for (Row row : rows) {
                        found.put(contentKey(row.getString(1), row.getBuffer(2).getBytes()), row.getUUID(0));
                    }
                    return found;
                });
    }

    private static String contentKey(String source, byte[] key) {
        return source + "|" + HexFormat.of().formatHex(key);
    }
}
