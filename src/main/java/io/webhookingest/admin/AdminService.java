package io.webhookingest.admin;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.hibernate.reactive.mutiny.Mutiny;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.webhookingest.extract.ExtractedEvent;
import io.webhookingest.extract.Extraction;
import io.webhookingest.ingest.WebhookRoutes;
import io.webhookingest.retention.PartitionMaintenance;
import io.webhookingest.source.Source;
import io.webhookingest.source.SourceRegistry;
import io.webhookingest.store.Durable;
import io.webhookingest.store.EventIds;
import io.webhookingest.store.EventRepository;
import io.webhookingest.store.EventStatus;
import io.webhookingest.store.EventsCommitted;
import io.webhookingest.store.NewEvent;
import io.webhookingest.store.StoredEvent;
import io.webhookingest.webhook.TraceParent;
import io.webhookingest.webhook.WebhookRequest;

/**
 * What operators do with stored events: look at them, publish them again with the same CloudEvent id, and release
 * quarantined deliveries once the configuration that could not read them is fixed. All database work runs detached
 * from the HTTP request, so a disconnecting client cannot cut a transaction short.
 */
@ApplicationScoped
public class AdminService {

    /**
     * Events that can be published again: those the broker acknowledged, and those it refused for good once the
     * cause is fixed. Pending ones are on their way; the others are never published.
     */
    static final Set<String> REPLAYABLE = Set.of(EventStatus.PUBLISHED.label(), EventStatus.FAILED.label());

    /**
     * Queues the matching events, each with its size and the time of the replay, after what is queued already; an
     * event is queued once.
     */
    private static final String QUEUE = "insert into OutboxEntry (eventId, size, replayedAt)"
            + " select e.id, cast(sql('octet_length(coalesce(?, ?))', e.value, e.body) as Integer), current_timestamp"
            + " from EventEntity e where %s on conflict do nothing";
    private static final String QUEUE_ONE = QUEUE.formatted("e.id = :id");
    /** Failed events are never queued, except by a replay: those are the ones it just queued. */
    private static final String REVIVE_QUEUED_FAILED = """
            update EventEntity e set e.storedStatus = :published, e.reason = null
            where e.storedStatus = :failed and exists (select 1 from OutboxEntry o where o.eventId = e.id)""";
    /** A quarantined delivery and its key go together, so that the sender's retry of the same bytes is kept again. */
    private static final String DELETE_QUARANTINED = """
            with deleted as (delete from event where id = $1 and status = 'quarantined' returning source, identity),
            forgotten as (delete from event_key k using deleted d
                          where k.source = d.source and k.kind = 1 and k.key = d.identity)
            select count(*) from deleted""";
    private static final String STATUS = "select status from event where id = $1";
    /** Identities are keys of kind 1 (see {@code EventRepository}); the unique key on them serves this. */
    private static final String FIND_BY_IDENTITY = """
            select event_id from event_key where source = $1 and kind = 1 and key = $2 and event_id is not null
            order by gen desc limit 1""";
    private static final String LOAD_QUARANTINED = """
            select source, body, headers::text, url from event where id = $1 and status = 'quarantined'""";
    private static final String MARK_RELEASED = """
            update event set status = 'released' where id = $1 and status = 'quarantined'""";
    private static final String RELEASED = """
            insert into event_activity (event_id, at, action, detail) values ($1, now(), 'released', $2)""";
    /** An event's history shows its newest steps, however often it was replayed. */
    static final int HISTORY_STEPS = 100;
    /**
     * An event's newest steps after it was stored, newest first, its queue entry (if it waits for the relay) before
     * them. Both are found by the event id's index, in the partition of that id. The times are all the database's.
     */
    static final String ACTIVITY = """
            select at, action, replayed_at, detail from event_activity where event_id = $1
            union all select null, 'queued', replayed_at, null from event_outbox where event_id = $1
            order by at desc nulls first limit %d""".formatted(HISTORY_STEPS);

    private final SourceRegistry sources;
    private final EventRepository repository;
    private final Event<EventsCommitted> committed;
    private final Pool pool;
    private final EventIds ids;
    private final Clock clock;
    private final ObjectMapper mapper;
    private final Vertx vertx;
    private final PartitionMaintenance maintenance;

    AdminService(SourceRegistry sources, EventRepository repository, Event<EventsCommitted> committed, Pool pool,
            EventIds ids, Clock clock, ObjectMapper mapper, Vertx vertx, PartitionMaintenance maintenance) {
        this.vertx = vertx;
        this.maintenance = maintenance;
        this.sources = sources;
        this.repository = repository;
        this.committed = committed;
        this.pool = pool;
        this.ids = ids;
        this.clock = clock;
        this.mapper = mapper;
    }

    /** What replaying one event did. */
    public sealed interface ReplayOutcome {

        record Replayed(UUID id) implements ReplayOutcome {
        }

        record NotFound() implements ReplayOutcome {
        }

        record Refused(String detail) implements ReplayOutcome {
        }
    }

    /** What releasing a quarantined delivery did. */
    public sealed interface ReleaseOutcome {

        record Released(UUID id, List<StoredEvent> events) implements ReleaseOutcome {
        }

        record NotFound() implements ReleaseOutcome {
        }

        record Refused(String detail) implements ReleaseOutcome {
        }
    }

    /** What deleting a quarantined delivery did. */
    public sealed interface DeleteOutcome {

        record Deleted() implements DeleteOutcome {
        }

        record NotFound() implements DeleteOutcome {
        }

        record Refused(String detail) implements DeleteOutcome {
        }
    }

    /**
     * Deletes a quarantined delivery for good: quarantined deliveries outlive the retention, so that nothing a sender
     * signed is lost unseen, until an operator releases or deletes them. Other events go with their partition.
     */
    public Uni<DeleteOutcome> deleteQuarantined(UUID id) {
        return Durable.detached(vertx, () -> pool.withTransaction(connection -> connection
                .preparedQuery(DELETE_QUARANTINED).execute(Tuple.of(id))
                .chain(deleted -> deleted.iterator().next().getLong(0) > 0
                        ? Uni.createFrom().item((DeleteOutcome) new DeleteOutcome.Deleted())
                        : connection.preparedQuery(STATUS).execute(Tuple.of(id)).map(rows -> rows.size() == 0
                                ? new DeleteOutcome.NotFound()
                                : new DeleteOutcome.Refused("The event is " + rows.iterator().next().getString(0)
                                        + "; only quarantined deliveries are deleted, the others leave with their"
                                        + " partition once past the retention")))));
    }

    /**
     * Runs the storage maintenance now, on this instance, rather than at its next interval: after the retention was
     * shortened, say. While a run is under way on this instance, another changes nothing.
     */
    public Uni<PartitionMaintenance.Outcome> runMaintenance() {
        return maintenance.run();
    }

    /**
     * The newest events matching the filter, newest first. Filtered by subject, or by source (and type), the order
     * names those columns first (each is one value) so that the plan walks the index on them from the newest end,
     * whatever the statistics.
     */
    public Uni<List<EventSummary>> list(EventFilter filter, int limit) {
        String where = filter.where();
        String order = filter.subject().isPresent() ? "e.subject desc, e.id desc"
                : filter.source().isPresent() && filter.type().isPresent() ? "e.source desc, e.type desc, e.id desc"
                : filter.source().isPresent() ? "e.source desc, e.id desc" : "e.id desc";
        String query = "from EventEntity e " + (where.isEmpty() ? "" : "where " + where + " ") + "order by " + order;
        return Durable.detached(vertx, () -> Panache.withSession(() -> EventEntity.find(query, filter.parameters())
                .page(0, limit).project(EventSummary.class).list()));
    }

    /** The event a source stored under this identity, through its deduplication key. */
    public Uni<Optional<UUID>> findByIdentity(String source, String identity) {
        return pool.preparedQuery(FIND_BY_IDENTITY).execute(Tuple.of(source, identity))
                .map(rows -> rows.iterator().hasNext() ? Optional.ofNullable(rows.iterator().next().getUUID(0))
                        : Optional.empty());
    }

    public Uni<Optional<EventEntity>> find(UUID id) {
        return Durable.detached(vertx, () -> Panache.withSession(() -> EventEntity.<EventEntity>findById(id)))
                .map(Optional::ofNullable);
    }

    /** An event as stored, and as the admin API describes it, history included. */
    public record Described(EventEntity event, EventDetail detail) {
    }

    /** The event with this id and its history. */
    public Uni<Optional<Described>> describe(UUID id) {
        return find(id).chain(found -> found.isEmpty() ? Uni.createFrom().item(Optional.<Described>empty())
                : history(found.get()).map(history -> Optional.of(new Described(found.get(),
                        detail(found.get(), history)))));
    }

    /** The request headers as stored, minus credentials. */
    public JsonNode storedHeaders(EventEntity event) {
        return headers(event.headers);
    }

    /**
     * What became of an event, oldest first: received, then each publication the broker acknowledged or refused, each
     * replay just before the publication it queued (a replay queues an event only once it has left the queue, so
     * after the step before), a release, and last the wait for the relay if it is queued. Received comes first
     * whatever the clocks: it is the instance's, the other steps the database's.
     */
    private Uni<List<HistoryEntry>> history(EventEntity event) {
        return pool.preparedQuery(ACTIVITY).execute(Tuple.of(event.id)).map(rows -> {
            List<HistoryEntry> newestFirst = new ArrayList<>();
            for (Row row : rows) {
                OffsetDateTime at = row.getOffsetDateTime(0);
                newestFirst.add(new HistoryEntry(at == null ? null : at.toInstant(), row.getString(1),
                        row.getString(3)));
                OffsetDateTime replayedAt = row.getOffsetDateTime(2);
                if (replayedAt != null) {
                    newestFirst.add(new HistoryEntry(replayedAt.toInstant(), "replayed", null));
                }
            }
            Collections.reverse(newestFirst);
            List<HistoryEntry> history = new ArrayList<>(newestFirst.size() + 1);
            history.add(new HistoryEntry(event.receivedAt, "received", null));
            history.addAll(newestFirst);
            return List.copyOf(history);
        });
    }

    private EventDetail detail(EventEntity event, List<HistoryEntry> history) {
        return new EventDetail(event.id, event.source, event.identity, event.type, event.subject, event.status,
                event.topic, event.receivedAt, event.reason, event.url, headers(event.headers),
                utf8(event.body).orElse(null), Base64.getEncoder().encodeToString(event.body), history);
    }

    /** Publishes a published event again, with the same CloudEvent id. */
    public Uni<ReplayOutcome> replay(UUID id) {
        return Durable.detached(vertx, () -> Panache.withTransaction(() -> holdReplayLock()
                .chain(() -> EventEntity.<EventEntity>findById(id))
                .chain(event -> {
                    if (event == null) {
                        return Uni.createFrom().item((ReplayOutcome) new ReplayOutcome.NotFound());
                    }
                    if (event.status.equals(EventStatus.PENDING.label())) {
                        return Uni.createFrom().item((ReplayOutcome) new ReplayOutcome.Replayed(id));
                    }
                    if (!REPLAYABLE.contains(event.status)) {
                        return Uni.createFrom().item((ReplayOutcome) new ReplayOutcome.Refused(refusal(event.status)));
                    }
                    event.storedStatus = EventStatus.PENDING.column();
                    event.reason = null;
                    // A concurrent replay of the same event may have queued it already: that is the same outcome.
                    return Panache.getSession().chain(session -> session.createMutationQuery(QUEUE_ONE)
                            .setParameter("id", id).executeUpdate())
                            .replaceWith((ReplayOutcome) new ReplayOutcome.Replayed(id));
                })))
                .invoke(outcome -> {
                    if (outcome instanceof ReplayOutcome.Replayed) {
                        committed.fire(EventsCommitted.queued());
                    }
                });
    }

    /**
     * Publishes every event matching the filter again, the filter's status being published (the default) or failed;
     * the outcome is how many. Queueing and reviving failed events is one transaction, so the relay never sees a
     * queued event that is still marked failed.
     */
    public Uni<Integer> replayAll(EventFilter filter) {
        EventFilter replayable = replayable(filter);
        return Durable.detached(vertx, () -> Panache.withTransaction(() -> holdReplayLock().chain(() -> Panache
                .getSession()).chain(session -> {
            Mutiny.MutationQuery queue = session.createMutationQuery(QUEUE.formatted(replayable.where()));
            replayable.parameters().map().forEach(queue::setParameter);
            return queue.executeUpdate().call(() -> session.createMutationQuery(REVIVE_QUEUED_FAILED)
                    .setParameter("published", EventStatus.PUBLISHED.column())
                    .setParameter("failed", EventStatus.FAILED.column()).executeUpdate());
        })))
                .invoke(count -> {
                    if (count > 0) {
                        committed.fire(EventsCommitted.queued());
                    }
                });
    }

    /**
     * How many events {@link #replayAll} would publish again for this filter now: the dry run an operator sees before
     * confirming. Like the replay, it takes the filter's published (the default) or failed events.
     */
    public Uni<Long> countReplayable(EventFilter filter) {
        EventFilter replayable = replayable(filter);
        return Durable.detached(vertx, () -> Panache.withSession(() -> EventEntity.count("from EventEntity e where "
                + replayable.where(), replayable.parameters())));
    }

    private static EventFilter replayable(EventFilter filter) {
        return filter.status().isPresent() ? filter : filter.withStatus(EventStatus.PUBLISHED.label());
    }

    /** See {@link PartitionMaintenance#REPLAY_LOCK}. */
    private static Uni<Void> holdReplayLock() {
        return Panache.getSession().chain(session -> session
                .createNativeQuery("select cast(1 as integer) from (select pg_advisory_xact_lock_shared("
                        + PartitionMaintenance.REPLAY_LOCK + ")) as locked")
                .getSingleResult()).replaceWithVoid();
    }

    /**
     * Reads a quarantined delivery again with the source's current configuration and, if it now yields events,
     * stores them (deduplicated as usual) and marks the delivery released, in one transaction.
     */
    public Uni<ReleaseOutcome> release(UUID id) {
        return Durable.detached(vertx, () -> pool.preparedQuery(LOAD_QUARANTINED).execute(Tuple.of(id))
                .chain(rows -> {
                    if (rows.size() == 0) {
                        return find(id).map(event -> event.isEmpty() ? new ReleaseOutcome.NotFound()
                                : new ReleaseOutcome.Refused("The event is " + event.get().status
                                        + ", not quarantined"));
                    }
                    return release(id, rows.iterator().next());
                }));
    }

    private Uni<ReleaseOutcome> release(UUID id, Row row) {
        Optional<Source> source = sources.find(row.getString(0));
        if (source.isEmpty()) {
            return Uni.createFrom().item(new ReleaseOutcome.Refused(
                    "Source '" + row.getString(0) + "' is no longer configured"));
        }
        byte[] body = row.getBuffer(1).getBytes();
        String headers = row.getString(2);
        WebhookRequest request = request(body, headers, row.getString(3));
        Extraction extraction = source.get().extractor().extract(request);
        if (extraction instanceof Extraction.Malformed malformed) {
            return Uni.createFrom().item(new ReleaseOutcome.Refused("It still cannot be read: " + malformed.detail()));
        }
        if (!(extraction instanceof Extraction.Events found)) {
            return Uni.createFrom().item(new ReleaseOutcome.Refused("It is an endpoint check, not an event"));
        }
        List<NewEvent> events = found.events().stream().map(event -> toRow(source.get(), event, body, headers))
                .toList();
        return pool.withTransaction(connection -> connection.preparedQuery(MARK_RELEASED).execute(Tuple.of(id))
                .chain(marked -> marked.rowCount() == 1
                        ? repository.insert(connection, events).call(stored -> connection.preparedQuery(RELEASED)
                                        .execute(Tuple.of(id, storedIds(stored))))
                                .map(stored -> (ReleaseOutcome) new ReleaseOutcome.Released(id, stored))
                        : Uni.createFrom().item(new ReleaseOutcome.Refused("It was released meanwhile"))))
                .invoke(outcome -> {
                    if (outcome instanceof ReleaseOutcome.Released released) {
                        committed.fire(EventsCommitted.queued());
                    }
                });
    }

    /** The events a release stored or found already stored, as its history names them. */
    private static String storedIds(List<StoredEvent> stored) {
        return stored.stream().map(StoredEvent::id).filter(Objects::nonNull).map(UUID::toString).distinct()
                .collect(Collectors.joining(", "));
    }

    private NewEvent toRow(Source source, ExtractedEvent event, byte[] body, String headers) {
        Optional<String> topic = source.topicOf(event);
        return NewEvent.of(ids.next(), source.name(), event.identity(), event.type(), event.subject(),
                topic.isPresent() ? EventStatus.PENDING : EventStatus.RECORDED, topic.orElse(source.topic()),
                clock.instant(), body, event.value(), headers, TraceParent.current())
                .withKeys(source.contentKey(body, event.value()), null);
    }

    private WebhookRequest request(byte[] body, String headersJson, String url) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        headers(headersJson).fields().forEachRemaining(header -> header.getValue()
                .forEach(value -> headers.add(header.getKey(), value.asText())));
        // The URL as the sender wrote it, which java.net.URI may refuse (it is stricter than HTTP servers).
        int queryStart = url.indexOf('?');
        String withoutQuery = queryStart < 0 ? url : url.substring(0, queryStart);
        int authority = withoutQuery.indexOf("://");
        int pathStart = authority < 0 ? 0 : withoutQuery.indexOf('/', authority + 3);
        String rawPath = pathStart < 0 ? "" : withoutQuery.substring(pathStart);
        return new WebhookRequest(body, headers, WebhookRoutes.pathTail(rawPath),
                queryStart < 0 ? "" : url.substring(queryStart + 1), url);
    }

    private JsonNode headers(String json) {
        try {
            return mapper.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("stored headers are always a JSON object", e);
        }
    }

    private static String refusal(String status) {
        return switch (status) {
            case "quarantined" -> "The event is quarantined; release it instead";
            case "recorded" -> "The event is recorded only (a provider's verification) and is never published";
            default -> "The event is " + status + " and cannot be published again";
        };
    }

    private static Optional<String> utf8(byte[] body) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
