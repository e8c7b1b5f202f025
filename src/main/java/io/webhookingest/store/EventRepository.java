package io.webhookingest.store;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Singleton;

import io.netty.buffer.Unpooled;
import io.opentelemetry.api.trace.Span;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

/**
 * The write side of the event table, on the reactive client. A batch of events is one statement and one commit: it
 * claims each event's deduplication keys in {@code event_key}, stores the events whose keys were all new, and queues
 * those to publish in {@code event_outbox}, in batch order. The unique index of {@code event_key} decides atomically
 * which delivery of an identity (or of a content digest, or of a signed nonce) is the first; see
 * {@link KeyGenerations} for how that holds across generations.
 * <p>
 * An event's secondary keys (content digest, nonce) are claimed before its identity, and its identity only when all
 * of them were: a key claimed for an event that then turns out to be a duplicate is thus always one that cannot come
 * again (a fresh nonce, the digest of a body under an identity already stored), never its identity. Every lookup is a
 * lateral probe of the unique index, so no plan, generic or not, scans a table.
 */
@Singleton
public class EventRepository {

    static final short IDENTITY = 1;
    static final short CONTENT = 2;
    static final short NONCE = 3;
    /** A result row naming, for an event not stored, the stored event that already had its key. */
    static final short KNOWN_EVENT = 0;

    private static final String EVENTS = """
            e as (
                select * from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                                     $7::text[], $8::timestamptz[], $9::bytea[], $10::bytea[], $11::text[],
                                     $12::text[], $13::text[], $14::text[], $15::boolean[], $16::int[])
                     with ordinality as e(id, source, identity, type, subject, status, topic, received_at, body, value,
                                          headers, reason, url, trace_parent, queue, secondary, position)
            ), s as (
                select s.event_id, s.kind, s.key, e.source
                from unnest($17::uuid[], $18::int2[], $19::text[]) as s(event_id, kind, key)
                     join e on e.id = s.event_id
            )""";

    /** Keys already in the previous generation (committed there before this generation's overlap ended). */
    private static final String SEEN = """
            , seen as (
                select e.id as event_id, 1::int2 as kind from e
                     cross join lateral (select 1 from event_key k where k.gen = $20 and k.source = e.source
                                         and k.kind = 1 and k.key = e.identity limit 1) found
                union all
                select s.event_id, s.kind from s
                     cross join lateral (select 1 from event_key k where k.gen = $20 and k.source = s.source
                                         and k.kind = s.kind and k.key = s.key limit 1) found
            )""";

    /**
     * The events that already had the keys of the events this statement does not store, found as
     * {@link #FIND_EXISTING} finds them, so that a batch of redeliveries costs one statement rather than two. It sees
     * what was committed before the statement began: a key committed since, or claimed earlier in this same batch, is
     * left to {@link #FIND_EXISTING}. Each generation is a probe of its own, newest first, and the first found ends
     * the search, so a redelivery of a recent event costs one probe of the unique index and its content digest is not
     * looked up. Materialized, because inlined the coalesce would run twice: for the filter and for the result.
     */
    private static final String KNOWN = """
            , known as materialized (
                select e.id as event_id, coalesce(
                    (select k.event_id from event_key k where k.gen = $21 and k.source = e.source and k.kind = 1
                                                         and k.key = e.identity),
                    (select k.event_id from event_key k where k.gen = $20 and k.source = e.source and k.kind = 1
                                                         and k.key = e.identity),
                    (select k.event_id from s join event_key k on k.source = s.source and k.kind = 2 and k.key = s.key
                     where s.event_id = e.id and s.kind = 2 and k.gen = $21),
                    (select k.event_id from s join event_key k on k.source = s.source and k.kind = 2 and k.key = s.key
                     where s.event_id = e.id and s.kind = 2 and k.gen = $20)) as existing
                from e
                where e.id not in (select event_id from claimed)
            )""";

    private static final String STORE = KNOWN + """
            , stored as (
                insert into event (id, source, identity, type, subject, status, topic, received_at, body, value,
                                   headers, reason, url, trace_parent)
                select id, source, identity, type, subject, status, topic, received_at, body, value, headers::json,
                       reason, url, trace_parent
                from e where e.id in (select event_id from claimed)
            ), queued as (
                insert into event_outbox (event_id, size)
                select id, octet_length(coalesce(value, body)) from e
                where e.queue and e.id in (select event_id from claimed) order by e.position
            )
            select event_id, kind, null::uuid from claimed_secondary
            union all select event_id, 1::int2, null::uuid from claimed
            union all select event_id, 0::int2, existing from known where existing is not null""";

    /** The keys found in the previous generation, each reported as the negative of its kind. */
    private static final String AND_SEEN = " union all select event_id, (-kind)::int2, null::uuid from seen";

    /**
     * After a generation's overlap: keys are checked against the previous generation and claimed in the current one.
     */
    static final String INSERT = "with " + EVENTS + SEEN + """
            , claimed_secondary as (
                insert into event_key (gen, source, kind, key, event_id)
                select $21, s.source, s.kind, s.key, s.event_id from s
                where s.event_id not in (select event_id from seen)
                on conflict do nothing
                returning event_id, kind
            ), claimed as (
                insert into event_key (gen, source, kind, key, event_id)
                select $21, e.source, 1, e.identity, e.id from e
                where e.id not in (select event_id from seen)
                  and e.secondary = (select count(*) from claimed_secondary c where c.event_id = e.id)
                on conflict do nothing
                returning event_id
            )""" + STORE + AND_SEEN;

    /**
     * During a generation's overlap: every key is claimed in the previous generation first, then in the current one,
     * so that this writer meets any other still writing into the previous generation in its unique index.
     */
    static final String INSERT_IN_OVERLAP = "with " + EVENTS + """
            , claimed_secondary_before as (
                insert into event_key (gen, source, kind, key, event_id)
                select $20, s.source, s.kind, s.key, s.event_id from s
                on conflict do nothing
                returning event_id, kind
            ), claimed_secondary as (
                insert into event_key (gen, source, kind, key, event_id)
                select $21, s.source, s.kind, s.key, s.event_id from s
                where (s.event_id, s.kind) in (select event_id, kind from claimed_secondary_before)
                on conflict do nothing
                returning event_id, kind
            ), claimed_before as (
                insert into event_key (gen, source, kind, key, event_id)
                select $20, e.source, 1, e.identity, e.id from e
                where e.secondary = (select count(*) from claimed_secondary c where c.event_id = e.id)
                on conflict do nothing
                returning event_id
            ), claimed as (
                insert into event_key (gen, source, kind, key, event_id)
                select $21, e.source, 1, e.identity, e.id from e
                where e.id in (select event_id from claimed_before)
                on conflict do nothing
                returning event_id
            )""" + STORE;

    /**
     * The events that already had the keys of these duplicates: by identity, else by content digest, the newest
     * generation first (an older one may hold a key claimed by a writer that lost in the newer one).
     */
    static final String FIND_EXISTING = """
            select d.id, coalesce(i.event_id, c.event_id)
            from unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) as d(id, source, identity, content)
                 left join lateral (select k.event_id from event_key k where k.source = d.source and k.kind = 1
                                    and k.key = d.identity and k.gen = any($5::int[]) order by k.gen desc
                                    limit 1) i on true
                 left join lateral (select k.event_id from event_key k where d.content is not null
                                    and k.source = d.source and k.kind = 2 and k.key = d.content
                                    and k.gen = any($5::int[]) order by k.gen desc limit 1) c on true""";

    private final io.vertx.sqlclient.Pool pool;
    private final KeyGenerations generations;
    private final StoreTracing tracing;

    EventRepository(@HotPath Pool pool, KeyGenerations generations, StoreTracing tracing) {
        this.pool = pool.getDelegate();
        this.generations = generations;
        this.tracing = tracing;
    }

    /**
     * Inserts the events in one statement. The result has one entry per event, in order: created; a duplicate
     * carrying the id of the event that already had its identity or content (also when that event is earlier in this
     * batch); or replayed, when its signed nonce was seen before, in which case nothing of it is stored. The hot path:
     * plain Vert.x futures, no per-callback context capture.
     */
    public Future<List<StoredEvent>> insert(List<NewEvent> events) {
        return insert(pool, events);
    }

    /**
     * Runs {@link #insert(List)}'s statement in a transaction that is rolled back, whatever its outcome: the same
     * statement, plan and code as a real insert, with nothing kept (see {@link EventWriter#rehearse}).
     */
    public Future<List<StoredEvent>> rehearse(List<NewEvent> events) {
        return pool.withConnection(connection -> connection.begin().compose(transaction -> insert(connection, events)
                .eventually(() -> transaction.rollback())));
    }

    /** As {@link #insert(List)}, inside the caller's transaction. */
    public Uni<List<StoredEvent>> insert(io.vertx.mutiny.sqlclient.SqlClient transaction, List<NewEvent> events) {
        return Uni.createFrom().completionStage(() -> insert(transaction.getDelegate(), events).toCompletionStage());
    }

    private Future<List<StoredEvent>> insert(SqlClient client, List<NewEvent> events) {
        Span span = tracing.start(events);
        Future<List<StoredEvent>> inserted;
        try {
            inserted = insertRows(client, events);
        } catch (RuntimeException e) {
            tracing.end(span, e);
            throw e;
        }
        return inserted.andThen(outcome -> tracing.end(span, outcome.cause()));
    }

    private Future<List<StoredEvent>> insertRows(SqlClient client, List<NewEvent> events) {
        KeyGenerations.Target target = generations.target();
        return client.preparedQuery(target.overlap() ? INSERT_IN_OVERLAP : INSERT)
                .execute(Tuple.tuple(columns(events, target)))
                .compose(rows -> {
                    Set<UUID> created = new HashSet<>();
                    Set<UUID> identitySeen = new HashSet<>();
                    Map<UUID, Set<Short>> claimed = new HashMap<>();
                    Map<UUID, UUID> known = new HashMap<>();
                    for (Row row : rows) {
                        UUID id = row.getUUID(0);
                        short kind = row.getShort(1);
                        if (kind == IDENTITY) {
                            created.add(id);
                        } else if (kind == -IDENTITY) {
                            identitySeen.add(id);
                        } else if (kind == KNOWN_EVENT) {
                            known.put(id, row.getUUID(2));
                        } else if (kind > 0) {
                            claimed.computeIfAbsent(id, ignored -> new HashSet<>()).add(kind);
                        }
                    }
                    return outcomes(client, events, created, identitySeen, claimed, known, target);
                });
    }

    /**
     * An event whose identity is already stored is a duplicate, whether or not its nonce is fresh (a provider's retry
     * signs anew); one with a new identity whose nonce was not claimed is a replay.
     */
    private Future<List<StoredEvent>> outcomes(SqlClient client, List<NewEvent> events, Set<UUID> created,
            Set<UUID> identitySeen, Map<UUID, Set<Short>> claimed, Map<UUID, UUID> known,
            KeyGenerations.Target target) {
        List<NewEvent> unknown = new ArrayList<>();
        Map<UUID, UUID> duplicates = new HashMap<>();
        for (NewEvent event : events) {
            boolean replayed = event.nonce() != null && !identitySeen.contains(event.id())
                    && !claimed.getOrDefault(event.id(), Set.of()).contains(NONCE);
            if (created.contains(event.id()) || replayed) {
                continue;
            }
            if (known.containsKey(event.id())) {
                duplicates.put(event.id(), known.get(event.id()));
            } else {
                unknown.add(event);
            }
        }
        Future<Map<UUID, UUID>> existing = unknown.isEmpty() ? Future.succeededFuture(duplicates)
                : findExisting(client, unknown, target).map(found -> {
                    found.putAll(duplicates);
                    return found;
                });
        return existing.map(found -> {
            List<StoredEvent> outcomes = new ArrayList<>(events.size());
            for (NewEvent event : events) {
                if (created.contains(event.id())) {
                    outcomes.add(StoredEvent.created(event.id(), event.status()));
                } else if (found.containsKey(event.id())) {
                    outcomes.add(StoredEvent.duplicate(found.get(event.id()), event.status()));
                } else {
                    outcomes.add(StoredEvent.replayed(event.status()));
                }
            }
            return outcomes;
        });
    }

    private Future<Map<UUID, UUID>> findExisting(SqlClient client, List<NewEvent> duplicates,
            KeyGenerations.Target target) {
        Tuple lookup = Tuple.tuple()
                .addArrayOfUUID(duplicates.stream().map(NewEvent::id).toArray(UUID[]::new))
                .addArrayOfString(duplicates.stream().map(NewEvent::source).toArray(String[]::new))
                .addArrayOfString(duplicates.stream().map(NewEvent::identity).toArray(String[]::new))
                .addArrayOfString(duplicates.stream().map(NewEvent::contentKey).toArray(String[]::new))
                .addArrayOfInteger(new Integer[] {target.current(), target.previous()});
        return client.preparedQuery(FIND_EXISTING).execute(lookup).map(rows -> {
            Map<UUID, UUID> found = new HashMap<>();
            for (Row row : rows) {
                found.put(row.getUUID(0), row.getUUID(1));
            }
            return found;
        });
    }

    /** The bytes as a buffer without copying them: the client only reads them to encode the statement. */
    private static Buffer wrap(byte[] bytes) {
        return Buffer.buffer(Unpooled.wrappedBuffer(bytes));
    }

    private static List<Object> columns(List<NewEvent> events, KeyGenerations.Target target) {
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
        Boolean[] queue = new Boolean[size];
        Integer[] secondary = new Integer[size];
        List<UUID> keyEvents = new ArrayList<>();
        List<Short> keyKinds = new ArrayList<>();
        List<String> keys = new ArrayList<>();
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
            bodies[i] = wrap(event.body());
            values[i] = event.value() == null ? null : wrap(event.value());
            headers[i] = event.headersJson();
            reasons[i] = event.reason();
            urls[i] = event.url();
            traceParents[i] = event.traceParent();
            queue[i] = event.status() == EventStatus.PENDING;
            int count = 0;
            if (event.contentKey() != null) {
                keyEvents.add(event.id());
                keyKinds.add(CONTENT);
                keys.add(event.contentKey());
                count++;
            }
            if (event.nonce() != null) {
                keyEvents.add(event.id());
                keyKinds.add(NONCE);
                keys.add(event.nonce());
                count++;
            }
            secondary[i] = count;
        }
        return List.of(ids, sources, identities, types, subjects, statuses, topics, receivedAt, bodies, values,
                headers, reasons, urls, traceParents, queue, secondary, keyEvents.toArray(UUID[]::new),
                keyKinds.toArray(Short[]::new), keys.toArray(String[]::new), target.previous(), target.current());
    }
}
