package io.webhookingest.retention;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.webhookingest.config.IngestConfig;
import io.webhookingest.relay.RelayLease;
import io.webhookingest.store.EventIds;
import io.webhookingest.store.KeyGenerations;

/**
 * Keeps the partitioned storage in shape, so that expiring old data costs next to nothing per event. On the
 * publishing instance, soon after startup and then every {@code ingest.retention-interval}:
 * <ul>
 * <li>creates the event partitions ahead (one per {@code ingest.partition-span} of event ids, aligned to UTC
 * midnight), for {@link #SPANS_AHEAD} spans or intervals, whichever is longer, each with the partition of
 * {@code event_activity} that holds its events' history, and the next generation of deduplication keys, so that
 * writers never meet a missing one;</li>
 * <li>drops every event partition whose events are all past {@code ingest.retention}: its pending, failed and
 * quarantined events are moved to the {@code event_kept} partition first, so nothing unpublished or unread is lost,
 * and quarantined deliveries stay until an operator releases or deletes them; their history stays with them;</li>
 * <li>drops every key generation whose successor has ended (its keys have been checked for a whole retention);</li>
 * <li>deletes, in bounded batches, the few rows of {@code event_kept} that have since been published, released or
 * recorded and are past the retention.</li>
 * </ul>
 * Each change is its own transaction with a short lock timeout: dropping a partition needs the event table to itself
 * for a moment, and while it waits for that, deliveries queue behind it; so it waits at most that long, then gives
 * way until the next run.
 */
@ApplicationScoped
public class PartitionMaintenance {

    /** Providers retry for up to 4 days (Hubject); an identity forgotten earlier lets such a retry be stored anew. */
    static final Duration RETRIES = Duration.ofDays(4);
    /** Key generations last a retention; instances re-read them every minute, well within the shortest. */
    static final Duration SHORTEST = Duration.ofMinutes(5);
    static final int SPANS_AHEAD = 3;
    static final Duration DAY = Duration.ofDays(1);
    static final int KEPT_BATCH = 1000;
    static final int KEPT_MAX_BATCHES = 100;
    static final Duration CLOCK_SKEW_WARNING = Duration.ofMinutes(5);
    /** Deliveries queue behind a drop waiting for its lock: it waits no longer than a commit normally takes. */
    static final String LOCK_TIMEOUT = "set local lock_timeout = '500ms'";
    /** After removing a table's or an index's files, a run waits this many times as long as the removal took. */
    static final int DROP_PAUSE = 4;
    /** The first whole run comes soon after startup, once the lease is taken. */
    static final Duration FIRST_RUN = Duration.ofSeconds(5);
    /**
     * Taken shared by every replay's transaction, and alone by each deletion of kept events: a kept event an
     * operator is replaying is never deleted under the replay, whose queue entry the deletion would not yet see.
     */
    public static final long REPLAY_LOCK = 0x7765626b6b657074L;
    /** A new key generation starts no sooner than this: every instance re-reads them well within it. */
    static final Duration GENERATION_LEAD = KeyGenerations.REFRESH.multipliedBy(2);

    private static final Logger LOG = Logger.getLogger(PartitionMaintenance.class);
    private static final DateTimeFormatter DAY_NAME = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MINUTE_NAME = DateTimeFormatter.ofPattern("yyyyMMdd_HHmm")
            .withZone(ZoneOffset.UTC);
    private static final Pattern RANGE = Pattern.compile("FROM \\((.+)\\) TO \\((.+)\\)");

    /** The partitions of a table ($1: event, event_activity) and their bounds. */
    private static final String PARTITIONS = """
            select c.relname, pg_get_expr(c.relpartbound, c.oid) from pg_inherits i
            join pg_class c on c.oid = i.inhrelid where i.inhparent = $1::text::regclass""";
    private static final String COLUMNS = "id, source, identity, type, subject, status, topic, received_at, body,"
            + " value, headers, reason, url, trace_parent";
    /**
     * The rows of a partition ({@code %1$s}) that must outlive it: its failed and quarantined events, through their
     * partial indexes, and its queued ones, through the queue's index on the ids of the partition's range ($1, $2).
     * The cost is the kept rows', not the partition's.
     */
    private static final String KEPT = """
            select %2$s from %1$s where status = 'failed'
            union all select %2$s from %1$s where status = 'quarantined'
            union all select p.* from event_outbox o
                 cross join lateral (select %2$s from %1$s where %1$s.id = o.event_id
                                     and status not in ('failed', 'quarantined')) p
                 where o.event_id >= $1 and o.event_id < $2""";
    /**
     * Copies the kept rows of a detached partition back into {@code event}, where they land in {@code event_kept}.
     */
    private static final String KEEP = "insert into event (%2$s) " + KEPT;
    /**
     * Reads the kept rows of a partition before it is detached, so that the copy under the event table's lock finds
     * their pages in memory: an expired partition's pages have long left the buffer cache, and reading them back one
     * by one was most of the time deliveries waited on the lock. Counting a column no index holds makes it read the
     * rows themselves, where counting rows would be answered from the (all-visible) partial indexes alone.
     */
    private static final String READ_AHEAD = "select count(kept.body) from (" + KEPT + ") kept";
    /** Tables of ours that are partitions no longer: detached by a run that stopped before dropping them. */
    private static final String LEFT_DETACHED = """
            select relname from pg_class where relkind = 'r' and not relispartition
            and relnamespace = current_schema()::regnamespace
            and (relname ~ '^event_(activity_)?(p[0-9]{8}(_[0-9]{4})?|history)$' or relname ~ '^event_key_[0-9]+$')""";
    /**
     * The indexes of a table ($1) with, for those a constraint owns (a primary key, a unique key), the constraint's
     * name: such an index goes with its constraint. A foreign key names the index it references, which it does not own.
     */
    private static final String INDEXES = """
            select i.indexrelid::regclass::text, quote_ident(c.conname) from pg_index i
            left join pg_constraint c on c.conindid = i.indexrelid and c.conrelid = i.indrelid
                 and c.contype in ('p', 'u', 'x')
            where i.indrelid = to_regclass($1)""";
    /** Whether a table is a partition: a generation may have had no table of its own. */
    private static final String ATTACHED = "select count(*) from pg_inherits where inhrelid = to_regclass($1)";
    /** Keeps the copy index-driven however little the planner knows about the detached partition's rows. */
    private static final String INDEX_DRIVEN = "set local enable_seqscan = off";
    /** Kept events past the retention that are done with, and their history. */
    private static final String DELETE_KEPT = """
            with gone as (
                delete from event_kept where ctid in (
                    select ctid from event_kept k where k.id < $1 and k.status in ('published', 'recorded', 'released')
                    and not exists (select 1 from event_outbox o where o.event_id = k.id) limit %d)
                returning id
            ), forgotten as (delete from event_activity_kept a using gone where a.event_id = gone.id)
            select count(*) from gone""".formatted(KEPT_BATCH);
    /**
     * The history of the events a drop keeps, from the detached activity partition ({@code %s}) back into
     * {@code event_activity}, where it lands in {@code event_activity_kept}; found through the kept events of the
     * partition's range ($1, $2).
     */
    private static final String KEEP_ACTIVITY = """
            insert into event_activity (event_id, at, action, replayed_at, detail)
            select a.event_id, a.at, a.action, a.replayed_at, a.detail from event_kept k
                 cross join lateral (select * from %s a where a.event_id = k.id) a
            where k.id >= $1 and k.id < $2""";

    /** An event partition and the range of ids it holds; either end open for MINVALUE or MAXVALUE. */
    record EventPartition(String name, Optional<UUID> lower, Optional<UUID> upper) {

        Optional<Instant> from() {
            return lower.map(EventIds::timeOf);
        }

        Optional<Instant> to() {
            return upper.map(EventIds::timeOf);
        }

        boolean overlaps(Instant start, Instant end) {
            return from().map(f -> f.isBefore(end)).orElse(true) && to().map(t -> t.isAfter(start)).orElse(true);
        }
    }

    /**
     * What one run changed. {@code eventsKept}: events moved to {@code event_kept} from the partitions dropped;
     * {@code longestLock}: the longest a drop held the event table to itself (deliveries wait that long), which grows
     * with the events a partition keeps.
     */
    public record Outcome(int partitionsCreated, List<String> partitionsDropped, long eventsKept,
            Duration longestLock, int generationsDropped, long keptDeleted, List<String> failures) {

        static final Outcome NOTHING = new Outcome(0, List.of(), 0, Duration.ZERO, 0, 0, List.of());
    }

    /** What a run has done so far, step by step. */
    private static final class Tally {
        int partitionsCreated;
        final List<String> partitionsDropped = new ArrayList<>();
        long eventsKept;
        Duration longestLock = Duration.ZERO;
        int generationsDropped;
        long keptDeleted;
        final List<String> failures = new ArrayList<>();

        void dropped(String partition, long kept, Duration locked) {
            partitionsDropped.add(partition);
            eventsKept += kept;
            longestLock = locked.compareTo(longestLock) > 0 ? locked : longestLock;
        }

        /** Runs a step; one that fails is listed and logged, and the run goes on. */
        Uni<Void> step(String name, Uni<?> work) {
            return work.replaceWithVoid().onFailure().recoverWithUni(failure -> {
                LOG.warnf("Partition maintenance failed %s (tried again at the next run): %s", name,
                        failure.getMessage());
                failures.add(name + ": " + failure.getMessage());
                return Uni.createFrom().voidItem();
            });
        }

        Outcome outcome() {
            return new Outcome(partitionsCreated, List.copyOf(partitionsDropped), eventsKept, longestLock,
                    generationsDropped, keptDeleted, List.copyOf(failures));
        }
    }

    private final Pool pool;
    private final RelayLease lease;
    private final KeyGenerations generations;
    private final Vertx vertx;
    private final Clock clock;
    private final Duration retention;
    private final Duration interval;
    private final Duration span;
    private final Duration ahead;
    private final AtomicBoolean running = new AtomicBoolean();

    PartitionMaintenance(Pool pool, RelayLease lease, KeyGenerations generations, Vertx vertx, Clock clock,
            IngestConfig config) {
        Duration span = config.partitionSpan();
        long minutes = span.toMinutes();
        if (span.compareTo(Duration.ofMinutes(minutes)) != 0 || minutes < 1
                || (DAY.toMinutes() % minutes != 0 && minutes % DAY.toMinutes() != 0)) {
            throw new IllegalStateException("ingest.partition-span must be whole minutes that divide a day or are a"
                    + " multiple of one, so that partitions line up with UTC midnight; it is " + span);
        }
        if (config.retention().compareTo(SHORTEST) < 0) {
            throw new IllegalStateException("ingest.retention must be at least " + SHORTEST.toMinutes() + " minutes,"
                    + " so that every instance learns of a new key generation before it starts; it is "
                    + config.retention());
        }
        if (config.retention().compareTo(RETRIES) < 0) {
            LOG.warnf("ingest.retention is %s: an identity is forgotten after that, so a provider's retry that comes"
                    + " later (Hubject retries for up to %d days) is stored and published again",
                    config.retention(), RETRIES.toDays());
        }
        this.pool = pool;
        this.lease = lease;
        this.generations = generations;
        this.vertx = vertx;
        this.clock = clock;
        this.retention = config.retention();
        this.interval = config.retentionInterval();
        this.span = span;
        Duration spansAhead = span.multipliedBy(SPANS_AHEAD);
        Duration intervalsAhead = interval.multipliedBy(SPANS_AHEAD);
        this.ahead = spansAhead.compareTo(intervalsAhead) > 0 ? spansAhead : intervalsAhead;
    }

    void start(@Observes StartupEvent event) {
        // Before the first delivery: a new installation has no partition for it yet. Instances starting together race
        // for the same ones; those that lose find them created by the winner.
        Instant now = clock.instant();
        createPartitions(now, now.plus(ahead)).onFailure().recoverWithItem(failure -> {
            LOG.debugf("Another instance is creating the partitions ahead: %s", failure.getMessage());
            return 0;
        }).await().atMost(Duration.ofSeconds(30));
        long first = Math.min(FIRST_RUN.toMillis(), interval.toMillis());
        vertx.setPeriodic(first, interval.toMillis(), id -> {
            if (lease.isHeld()) {
                run().subscribe().with(outcome -> { }, failure -> LOG.warnf("Partition maintenance failed (it runs"
                        + " again in %s): %s", interval, failure.getMessage()));
            }
        });
    }

    /**
     * Runs the maintenance once, now (unless a run is under way, which then counts). Each step runs whether or not
     * the ones before it succeeded, so that one failing (a lock not granted in time, say) holds back no other; what
     * failed is in the outcome and the log, and is tried again at the next run.
     */
    public Uni<Outcome> run() {
        if (!running.compareAndSet(false, true)) {
            return Uni.createFrom().item(Outcome.NOTHING);
        }
        Instant now = clock.instant();
        Tally tally = new Tally();
        return tally.step("checking the clock", warnOnClockSkew(now))
                .chain(() -> tally.step("creating partitions", createPartitions(now, now.plus(ahead))
                        .invoke(created -> tally.partitionsCreated = created)))
                .chain(() -> tally.step("creating key generations", createGenerations(now)))
                .chain(() -> tally.step("dropping expired partitions", dropExpiredPartitions(now, tally)))
                .chain(() -> tally.step("dropping old key generations", dropOldGenerations(now)
                        .invoke(dropped -> tally.generationsDropped = dropped)))
                .chain(() -> tally.step("deleting expired kept events",
                        deleteExpiredKept(EventIds.lowerBound(now.minus(retention)), 0, 0)
                                .invoke(deleted -> tally.keptDeleted = deleted)))
                .map(done -> tally.outcome())
                .invoke(outcome -> {
                    if (!outcome.partitionsDropped().isEmpty() || outcome.keptDeleted() > 0) {
                        LOG.infof("Expired events past %s: dropped partitions %s (keeping %d of their events, the"
                                + " event table locked for at most %d ms), %d kept event(s) deleted", retention,
                                outcome.partitionsDropped(), outcome.eventsKept(), outcome.longestLock().toMillis(),
                                outcome.keptDeleted());
                    }
                })
                .eventually(() -> running.set(false));
    }

    /**
     * Creates the event partition of every span from the one holding {@code first} to the one holding {@code last}
     * that no partition covers yet; events that arrived meanwhile in {@code event_kept} for such a span move into its
     * partition. Returns how many it created. Also for tests and the benchmark, which store events with old ids.
     */
    public Uni<Integer> createPartitions(Instant first, Instant last) {
        return partitions().chain(existing -> {
            List<Instant> missing = new ArrayList<>();
            for (Instant start = spanStart(first); !start.isAfter(last); start = start.plus(span)) {
                Instant from = start;
                Instant to = start.plus(span);
                if (existing.stream().noneMatch(p -> p.overlaps(from, to))) {
                    missing.add(from);
                }
            }
            return Multi.createFrom().iterable(missing)
                    .onItem().transformToUniAndConcatenate(start -> createPartition(start).replaceWith(start))
                    .collect().asList().map(List::size);
        }).call(this::createMissingHistories);
    }

    /**
     * Gives each event partition that has none its history's partition: those an earlier version created, while it
     * still held the lease during an upgrade.
     */
    private Uni<Void> createMissingHistories() {
        return partitions().chain(events -> partitionsOf("event_activity").chain(histories -> {
            Set<String> existing = histories.stream().map(EventPartition::name).collect(Collectors.toSet());
            List<EventPartition> missing = events.stream().filter(p -> p.lower().isPresent() && p.upper().isPresent()
                    && !existing.contains(activityPartition(p.name()))).toList();
            return Multi.createFrom().iterable(missing).onItem().transformToUniAndConcatenate(partition -> pool
                    .withTransaction(connection -> execute(connection, LOCK_TIMEOUT)
                            .chain(() -> createActivityPartition(connection, activityPartition(partition.name()),
                                    partition.lower().orElseThrow(), partition.upper().orElseThrow())))
                    .invoke(() -> LOG.infof("Created %s for the history of the events in %s",
                            activityPartition(partition.name()), partition.name())))
                    .collect().last().replaceWithVoid();
        }));
    }

    /** The start of the span holding {@code instant}: spans line up with the epoch, so with UTC midnight. */
    private Instant spanStart(Instant instant) {
        long spanMillis = span.toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(instant.toEpochMilli(), spanMillis) * spanMillis);
    }

    private Uni<Void> createPartition(Instant start) {
        String name = "event_p" + (span.toMinutes() % DAY.toMinutes() == 0 ? DAY_NAME : MINUTE_NAME).format(start);
        UUID from = EventIds.lowerBound(start);
        UUID to = EventIds.lowerBound(start.plus(span));
        return pool.withTransaction(connection -> execute(connection, LOCK_TIMEOUT)
                // Rows arriving in event_kept for this span between the move and the attach would fail the attach.
                .chain(() -> execute(connection, "lock table event_kept in share row exclusive mode"))
                .chain(() -> execute(connection, "create table " + name
                        + " (like event including defaults including constraints)"))
                .chain(() -> connection.preparedQuery("with moved as (delete from event_kept where id >= $1 and id"
                        + " < $2 returning " + COLUMNS + ") insert into " + name + " (" + COLUMNS + ") select "
                        + COLUMNS + " from moved").execute(Tuple.of(from, to)))
                .chain(() -> execute(connection, "alter table event attach partition " + name
                        + " for values from ('" + from + "') to ('" + to + "')"))
                .chain(() -> createActivityPartition(connection, activityPartition(name), from, to)))
                .invoke(() -> LOG.debugf("Created event partition %s", name));
    }

    /** The partition of {@code event_activity} that holds the history of an event partition's events. */
    static String activityPartition(String eventPartition) {
        return "event_activity_" + eventPartition.substring("event_".length());
    }

    /** Like its event partition's, with the history already kept for events of its range. */
    private static Uni<Void> createActivityPartition(SqlConnection connection, String name, UUID from, UUID to) {
        return execute(connection, "lock table event_activity_kept in share row exclusive mode")
                .chain(() -> execute(connection, "create table " + name
                        + " (like event_activity including defaults including constraints)"))
                .chain(() -> connection.preparedQuery("with moved as (delete from event_activity_kept where event_id"
                        + " >= $1 and event_id < $2 returning event_id, at, action, replayed_at, detail) insert into "
                        + name + " select * from moved").execute(Tuple.of(from, to)))
                .chain(() -> execute(connection, "alter table event_activity attach partition " + name
                        + " for values from ('" + from + "') to ('" + to + "')"));
    }

    /**
     * Creates key generations until one ends more than a retention from now, each a retention long. A newest
     * generation made for a longer retention (the first one, or after the retention was shortened) is cut to end a
     * retention from now first, so that its keys too expire on time. That is safe: each of its keys is still checked
     * for a retention after it was written, by the generation that follows, which every instance learns of long
     * before it starts.
     */
    private Uni<Void> createGenerations(Instant now) {
        return generations.refresh().chain(known -> {
            KeyGenerations.Generation last = known.get(known.size() - 1);
            Instant earliestStart = now.plus(GENERATION_LEAD);
            if (last.endsAt().isBefore(earliestStart)) {
                // Late (maintenance failed or ran rarely): the next generation must still start in the future, when
                // every instance knows of it, so the last one lasts until then.
                return pool.preparedQuery("update event_key_generation set ends_at = $1 where gen = $2")
                        .execute(Tuple.of(earliestStart.atOffset(ZoneOffset.UTC), last.gen()))
                        .invoke(() -> LOG.infof("Key generation %d now ends at %s: its successor starts only once"
                                + " every instance has learnt of it", last.gen(), earliestStart))
                        .chain(() -> createGenerations(now));
            }
            Instant end = last.startsAt().isAfter(now) ? last.startsAt().plus(retention) : now.plus(retention);
            if (last.endsAt().isAfter(now.plus(retention.multipliedBy(2))) && end.isBefore(last.endsAt())) {
                return pool.preparedQuery("update event_key_generation set ends_at = $1 where gen = $2")
                        .execute(Tuple.of(end.atOffset(ZoneOffset.UTC), last.gen()))
                        .invoke(() -> LOG.infof("Key generation %d now ends at %s, a retention (%s) from now",
                                last.gen(), end, retention))
                        .chain(() -> createGenerations(now));
            }
            if (last.endsAt().isAfter(now.plus(retention))) {
                return Uni.createFrom().voidItem();
            }
            int gen = last.gen() + 1;
            String name = "event_key_" + gen;
            return pool.withTransaction(connection -> execute(connection, LOCK_TIMEOUT)
                    .chain(() -> connection.preparedQuery("insert into event_key_generation (gen, starts_at, ends_at)"
                            + " values ($1, $2, $3)").execute(Tuple.of(gen, last.endsAt().atOffset(ZoneOffset.UTC),
                                    last.endsAt().plus(retention).atOffset(ZoneOffset.UTC))))
                    .chain(() -> execute(connection, "create table " + name + " (like event_key including defaults"
                            + " including constraints)"))
                    .chain(() -> connection.preparedQuery("with moved as (delete from event_key_default where gen"
                            + " = $1 returning gen, source, kind, key, event_id) insert into " + name
                            + " select * from moved").execute(Tuple.of(gen)))
                    .chain(() -> execute(connection, "alter table event_key attach partition " + name
                            + " for values in (" + gen + ")")))
                    .invoke(() -> LOG.infof("Created key generation %d, from %s for %s", gen, last.endsAt(),
                            retention))
                    .chain(() -> createGenerations(now));
        });
    }

    /**
     * Each partition is detached and its kept events copied in one transaction: deliveries wait on the event table's
     * lock for as long as that takes, from the moment the detach queues for the lock, so the kept events are read once
     * before it ({@link #READ_AHEAD}), when nobody waits. Its history's partition goes next, in a transaction of its
     * own (see {@link #dropOrphanedHistories}), so that deliveries do not wait for that copy too; meanwhile the kept
     * events' history stays where it was.
     */
    private Uni<Void> dropExpiredPartitions(Instant now, Tally tally) {
        Instant cutoff = now.minus(retention);
        return dropLeftDetached().chain(this::partitions).chain(existing -> Multi.createFrom().iterable(existing.stream()
                .filter(p -> p.to().map(to -> !to.isAfter(cutoff)).orElse(false)).toList())
                .onItem().transformToUniAndConcatenate(partition -> {
                    long[] lockedSince = new long[1];
                    Tuple range = Tuple.of(partition.lower().orElse(new UUID(0, 0)), partition.upper().orElseThrow());
                    return pool.withTransaction(connection -> execute(connection, INDEX_DRIVEN)
                                    .chain(() -> connection.preparedQuery(READ_AHEAD.formatted(partition.name(),
                                            COLUMNS)).execute(range)))
                            .chain(() -> pool.withTransaction(connection -> execute(connection, LOCK_TIMEOUT)
                                    .chain(() -> execute(connection, INDEX_DRIVEN))
                                    .invoke(() -> lockedSince[0] = System.nanoTime())
                                    .chain(() -> execute(connection, "alter table event detach partition "
                                            + partition.name()))
                                    .chain(() -> connection.preparedQuery(KEEP.formatted(partition.name(), COLUMNS))
                                            .execute(range))))
                            .invoke(kept -> tally.dropped(partition.name(), kept.rowCount(),
                                    Duration.ofNanos(System.nanoTime() - lockedSince[0])))
                            .chain(() -> dropDetached(partition.name()));
                })
                .collect().last().replaceWithVoid())
                .chain(() -> dropOrphanedHistories(cutoff));
    }

    /**
     * Drops the history partitions past the retention whose event partition is gone, keeping the history of the
     * events kept from it: just dropped by this run, or by an earlier version during an upgrade, or by a run that
     * stopped before it got here. That locks the history, which the relay writes, and not the events.
     */
    private Uni<Void> dropOrphanedHistories(Instant cutoff) {
        return partitions().chain(events -> partitionsOf("event_activity").chain(histories -> {
            Set<String> twins = events.stream().map(p -> activityPartition(p.name())).collect(Collectors.toSet());
            List<EventPartition> orphaned = histories.stream().filter(h -> !twins.contains(h.name())
                    && h.lower().isPresent() && h.to().map(to -> !to.isAfter(cutoff)).orElse(false)).toList();
            return Multi.createFrom().iterable(orphaned).onItem().transformToUniAndConcatenate(history -> pool
                    .withTransaction(connection -> execute(connection, LOCK_TIMEOUT)
                            .chain(() -> execute(connection, INDEX_DRIVEN))
                            .chain(() -> keepActivity(connection, history.name(), Tuple.of(history.lower()
                                    .orElseThrow(), history.upper().orElseThrow()))))
                    .chain(() -> dropDetached(history.name())))
                    .collect().last().replaceWithVoid();
        }));
    }

    /**
     * Detaches a partition of the history and copies that of the kept events of its range: the copy follows the kept
     * events, through the index on the event ids. One that is no longer a partition was detached and kept by a run
     * on another instance (the admin API's, say) since it was listed.
     */
    private static Uni<Void> keepActivity(SqlConnection connection, String activity, Tuple range) {
        return connection.preparedQuery(ATTACHED).execute(Tuple.of(activity)).chain(attached ->
                attached.iterator().next().getLong(0) == 0 ? Uni.createFrom().voidItem()
                        : execute(connection, "alter table event_activity detach partition " + activity)
                                .chain(() -> connection.preparedQuery(KEEP_ACTIVITY.formatted(activity))
                                        .execute(range))
                                .replaceWithVoid());
    }

    /**
     * Drops a table once detached, outside the parent's lock: removing its files takes a while, and deliveries must
     * not wait on that lock for it. Removing files holds up the disk's other writes, the flushes that commit
     * deliveries among them, for about as long as it takes, and longer the more it removes at once; so each index
     * goes in a transaction of its own before the table, and after each the run waits {@link #DROP_PAUSE} times as
     * long as the removal took, which leaves commits the disk most of the time. One left by an interrupted run is
     * dropped by the next.
     */
    private Uni<Void> dropDetached(String table) {
        return pool.preparedQuery(INDEXES).execute(Tuple.of(table)).chain(rows -> {
            List<String> drops = new ArrayList<>();
            rows.forEach(row -> drops.add(row.getString(1) == null ? "drop index if exists " + row.getString(0)
                    : "alter table if exists " + table + " drop constraint if exists " + row.getString(1)));
            drops.add("drop table if exists " + table);
            return Multi.createFrom().iterable(drops).onItem().transformToUniAndConcatenate(this::pacedDrop)
                    .collect().last().replaceWithVoid();
        });
    }

    private Uni<Void> pacedDrop(String drop) {
        return Uni.createFrom().deferred(() -> {
            long started = System.nanoTime();
            return pool.withTransaction(connection -> execute(connection, LOCK_TIMEOUT)
                            .chain(() -> execute(connection, drop)))
                    .chain(() -> Uni.createFrom().voidItem().onItem().delayIt()
                            .by(Duration.ofNanos(System.nanoTime() - started).multipliedBy(DROP_PAUSE)));
        });
    }

    private Uni<Void> dropLeftDetached() {
        return pool.query(LEFT_DETACHED).execute().chain(rows -> {
            List<String> left = new ArrayList<>();
            rows.forEach(row -> left.add(row.getString(0)));
            return Multi.createFrom().iterable(left).onItem().transformToUniAndConcatenate(this::dropDetached)
                    .collect().last().replaceWithVoid();
        });
    }

    /** A generation can go once its successor has ended: every key in it has been checked for a whole retention. */
    private Uni<Integer> dropOldGenerations(Instant now) {
        List<KeyGenerations.Generation> known = generations.all();
        List<Integer> old = new ArrayList<>();
        for (int i = 0; i + 1 < known.size(); i++) {
            KeyGenerations.Generation successor = known.get(i + 1);
            if (successor.endsAt().plus(successor.overlap()).isBefore(now)) {
                old.add(known.get(i).gen());
            }
        }
        return Multi.createFrom().iterable(old).onItem().transformToUniAndConcatenate(gen ->
                pool.withTransaction(connection -> execute(connection, LOCK_TIMEOUT)
                        .chain(() -> connection.preparedQuery(ATTACHED).execute(Tuple.of("event_key_" + gen)))
                        .chain(attached -> attached.iterator().next().getLong(0) == 0 ? Uni.createFrom().voidItem()
                                : execute(connection, "alter table event_key detach partition event_key_" + gen))
                        .chain(() -> connection.preparedQuery("delete from event_key_default where gen = $1")
                                .execute(Tuple.of(gen)))
                        .chain(() -> connection.preparedQuery("delete from event_key_generation where gen = $1")
                                .execute(Tuple.of(gen))))
                        .chain(() -> dropDetached("event_key_" + gen)).replaceWith(gen))
                .collect().asList().call(generations::refresh).map(List::size);
    }

    private Uni<Long> deleteExpiredKept(UUID cutoff, int batches, long deleted) {
        return pool.withTransaction(connection -> connection.preparedQuery(
                        "select 1 from (select pg_advisory_xact_lock($1)) as locked")
                        .execute(Tuple.of(REPLAY_LOCK))
                        .chain(() -> execute(connection, INDEX_DRIVEN))
                        .chain(() -> connection.preparedQuery(DELETE_KEPT).execute(Tuple.of(cutoff))))
                .map(rows -> rows.iterator().next().getLong(0))
                .chain(count -> count == KEPT_BATCH && batches + 1 < KEPT_MAX_BATCHES
                        ? deleteExpiredKept(cutoff, batches + 1, deleted + count)
                        : Uni.createFrom().item(deleted + count));
    }

    Uni<List<EventPartition>> partitions() {
        return partitionsOf("event");
    }

    private Uni<List<EventPartition>> partitionsOf(String table) {
        return pool.preparedQuery(PARTITIONS).execute(Tuple.of(table)).map(rows -> {
            List<EventPartition> found = new ArrayList<>();
            for (Row row : rows) {
                Matcher range = RANGE.matcher(row.getString(1));
                if (range.find()) {
                    found.add(new EventPartition(row.getString(0), bound(range.group(1)), bound(range.group(2))));
                }
            }
            return found;
        });
    }

    private static Optional<UUID> bound(String value) {
        if (value.equals("MINVALUE") || value.equals("MAXVALUE")) {
            return Optional.empty();
        }
        return Optional.of(UUID.fromString(value.replace("'", "")));
    }

    /**
     * Ids come from each instance's clock: far from the database's, they land in the wrong partition, and a skew
     * near a generation's overlap breaks deduplication across generations.
     */
    private Uni<Void> warnOnClockSkew(Instant now) {
        Duration overlap = generations.all().stream().map(KeyGenerations.Generation::overlap)
                .min(Duration::compareTo).orElse(KeyGenerations.OVERLAP);
        Duration limit = overlap.dividedBy(2).compareTo(CLOCK_SKEW_WARNING) < 0 ? overlap.dividedBy(2)
                : CLOCK_SKEW_WARNING;
        return pool.query("select now()").execute().invoke(rows -> {
            Instant database = rows.iterator().next().getOffsetDateTime(0).toInstant();
            Duration skew = Duration.between(database, now).abs();
            if (skew.compareTo(limit) > 0) {
                LOG.warnf("This instance's clock is %s away from the database's; event ids and key generations"
                        + " follow the instance's clock, and a skew near %s breaks deduplication across"
                        + " generations", skew, overlap);
            }
        }).replaceWithVoid();
    }

    private static Uni<Void> execute(SqlConnection connection, String sql) {
        return connection.query(sql).execute().replaceWithVoid();
    }
}
