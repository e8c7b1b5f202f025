package io.webhookingest.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;

/**
 * The generations of deduplication keys ({@code event_key_generation}), as this instance last read them. A key is
 * written into the generation of the moment its event arrives, and checked against the previous generation too;
 * since every generation lasts at least the retention, that covers the whole retention whichever generation holds
 * the first key.
 * <p>
 * Right after a generation starts, instances whose clocks differ, and statements that started before the change, may
 * still write into the previous one. For its {@linkplain Generation#overlap() overlap} after the start (an hour, or a
 * quarter of a shorter generation), writers therefore claim each key in the
 * previous generation as well as in the current one, so that two deliveries of one identity always meet in one
 * generation's unique index, however their clocks and transactions straddle the change. The overlap must exceed the
 * clock skew between instances plus the longest insert; {@link io.webhookingest.retention.PartitionMaintenance}
 * warns when an instance's clock is far from the database's.
 */
@Singleton
public class KeyGenerations {

    /** How long after a generation starts writers still claim keys in the previous one too, at most. */
    public static final Duration OVERLAP = Duration.ofHours(1);
    public static final Duration REFRESH = Duration.ofMinutes(1);

    private static final Logger LOG = Logger.getLogger(KeyGenerations.class);
    private static final String LOAD = "select gen, starts_at, ends_at from event_key_generation order by gen";

    /** One generation: its number and its span. */
    public record Generation(int gen, Instant startsAt, Instant endsAt) {

        /** How long after this generation starts keys are claimed in the previous one too. */
        public Duration overlap() {
            Duration quarter = Duration.between(startsAt, endsAt).dividedBy(4);
            return quarter.compareTo(OVERLAP) < 0 ? quarter : OVERLAP;
        }
    }

    /** Where a key written now goes: the current generation, the previous one, and whether both are claimed. */
    public record Target(int current, int previous, boolean overlap) {
    }

    private final Pool pool;
    private final Vertx vertx;
    private final Clock clock;
    private volatile List<Generation> generations = List.of();

    KeyGenerations(Pool pool, Vertx vertx, Clock clock) {
        this.pool = pool;
        this.vertx = vertx;
        this.clock = clock;
    }

    void start(@Observes StartupEvent event) {
        refresh().await().atMost(Duration.ofSeconds(30));
        vertx.setPeriodic(REFRESH.toMillis(), id -> refresh().subscribe().with(loaded -> { },
                failure -> LOG.debugf("Could not refresh the key generations: %s", failure.getMessage())));
    }

    /** Reads the generations again, after the maintenance created or dropped one, or periodically. */
    public io.smallrye.mutiny.Uni<List<Generation>> refresh() {
        return pool.query(LOAD).execute().map(rows -> {
            List<Generation> loaded = new ArrayList<>();
            for (Row row : rows) {
                loaded.add(new Generation(row.getInteger(0), row.getOffsetDateTime(1).toInstant(),
                        row.getOffsetDateTime(2).toInstant()));
            }
            generations = List.copyOf(loaded);
            return generations;
        });
    }

    public List<Generation> all() {
        return generations;
    }

    /**
     * The generation a key written now belongs to: the one whose span holds this instance's time, else the last one
     * (a generation not created yet, because maintenance fell behind, has no partition of its own).
     */
    public Target target() {
        List<Generation> known = generations;
        if (known.isEmpty()) {
            throw new IllegalStateException("no key generation is known; the migrations create the first");
        }
        Instant now = clock.instant();
        Generation current = known.get(known.size() - 1);
        for (Generation generation : known) {
            if (!now.isBefore(generation.startsAt()) && now.isBefore(generation.endsAt())) {
                current = generation;
                break;
            }
        }
        boolean overlap = now.isBefore(current.startsAt().plus(current.overlap()));
        return new Target(current.gen(), current.gen() - 1, overlap);
    }
}
