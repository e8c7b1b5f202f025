package io.webhookingest.source;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.webhookingest.store.BackgroundWrite;

/**
 * Which secret verified each delivery, so that an operator can watch a rotation: a counter per source and secret
 * fingerprint, and the time each secret last verified one, written to Postgres every few seconds (off the hot path,
 * one statement for all) so that the admin API shows it cluster-wide. A secret deleted meanwhile is not written back.
 */
@Startup
@Singleton
public class SecretUsage {

    static final long FLUSH_INTERVAL_MILLIS = 2_000;
    private static final Duration FINAL_FLUSH_TIMEOUT = Duration.ofSeconds(2);
    private static final Logger LOG = Logger.getLogger(SecretUsage.class);

    /** One secret's tally: its counter, when it last verified, and up to when that is written. */
    private static final class Tally {
        final Counter counter;
        final AtomicLong lastMillis = new AtomicLong();
        final AtomicLong writtenMillis = new AtomicLong();

        Tally(Counter counter) {
            this.counter = counter;
        }
    }

    /** The times one write carries, and how to mark them written. */
    private record Batch(List<String> sources, List<String> fingerprints, List<OffsetDateTime> times,
            List<Boolean> managed, List<Runnable> written) {
    }

    private final Map<String, Map<String, Tally>> tallies = new ConcurrentHashMap<>();
    private final MeterRegistry meters;
    private final SourceStore store;
    private final SourceRegistry sources;
    private final Clock clock;
    private final Vertx vertx;
    private final long timer;
    private final BackgroundWrite writes = new BackgroundWrite("record when secrets last verified a delivery;"
            + " retrying", LOG, this::write);

    SecretUsage(MeterRegistry meters, SourceStore store, SourceRegistry sources, Clock clock, Vertx vertx) {
        this.meters = meters;
        this.store = store;
        this.sources = sources;
        this.clock = clock;
        this.vertx = vertx;
        this.timer = vertx.setPeriodic(FLUSH_INTERVAL_MILLIS, id -> writes.run());
    }

    /** Counts a delivery verified by the source's secret at this index of {@link Source#fingerprints()}. */
    public void verified(Source source, int secret) {
        if (secret < 0 || secret >= source.fingerprints().size()) {
            return;
        }
        Tally tally = tallies.computeIfAbsent(source.name(), name -> new ConcurrentHashMap<>())
                .computeIfAbsent(source.fingerprints().get(secret), fingerprint -> new Tally(
                        Counter.builder("webhook.ingest.secret.verifications")
                                .description("Deliveries verified, by source and secret fingerprint")
                                .tag("source", source.name()).tag("fingerprint", fingerprint).register(meters)));
        tally.counter.increment();
        tally.lastMillis.accumulateAndGet(clock.millis(), Math::max);
    }

    /** When this instance last saw the secret verify a delivery, including what is not written yet. */
    public Optional<Instant> lastSeenHere(String source, String fingerprint) {
        Tally tally = tallies.getOrDefault(source, Map.of()).get(fingerprint);
        return tally == null || tally.lastMillis.get() == 0 ? Optional.empty()
                : Optional.of(Instant.ofEpochMilli(tally.lastMillis.get()));
    }

    /** Concurrent writes are harmless: each keeps the later time, and each tally remembers the latest written. */
    Uni<Void> write() {
        Batch batch = new Batch(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                new ArrayList<>());
        tallies.forEach((source, bySecret) -> bySecret.forEach((fingerprint, tally) -> {
            if (!sources.holdsSecret(source, fingerprint)) {
                bySecret.remove(fingerprint, tally);
                return;
            }
            long last = tally.lastMillis.get();
            if (last > tally.writtenMillis.get()) {
                batch.sources().add(source);
                batch.fingerprints().add(fingerprint);
                batch.times().add(Instant.ofEpochMilli(last).atOffset(ZoneOffset.UTC));
                batch.managed().add(!sources.configured().containsKey(source));
                batch.written().add(() -> tally.writtenMillis.accumulateAndGet(last, Math::max));
            }
        }));
        if (batch.sources().isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return store.recordUse(batch.sources(), batch.fingerprints(), batch.times(), batch.managed())
                .invoke(() -> batch.written().forEach(Runnable::run));
    }

    void stop(@Observes ShutdownEvent stopping) {
        vertx.cancelTimer(timer);
        writes.finish(FINAL_FLUSH_TIMEOUT);
    }
}
