package io.webhookingest.source;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.vertx.core.Vertx;

/**
 * Which secret verified each delivery, so that an operator can watch a rotation: a counter per source and secret
 * fingerprint, and the time each secret last verified one, written to Postgres every few seconds (off the hot path,
 * one statement for all) so that the admin API shows it cluster-wide.
 */
@Startup
@ApplicationScoped
public class SecretUsage {

    static final long FLUSH_INTERVAL_MILLIS = 2_000;
    private static final Logger LOG = Logger.getLogger(SecretUsage.class);

    /** One secret's tally: its counter, when it last verified, and up to when that is written. */
    private static final class Tally {
        final Counter counter;
        final AtomicLong lastMillis = new AtomicLong();
        long writtenMillis;

        Tally(Counter counter) {
            this.counter = counter;
        }
    }

    private final Map<String, Map<String, Tally>> tallies = new ConcurrentHashMap<>();
    private final MeterRegistry registry;
    private final SourceStore store;
    private final Clock clock;
    private final Vertx vertx;
    private final long timer;
    private boolean flushing;

    SecretUsage(MeterRegistry registry, SourceStore store, Clock clock, Vertx vertx) {
        this.registry = registry;
        this.store = store;
        this.clock = clock;
        this.vertx = vertx;
        this.timer = vertx.setPeriodic(FLUSH_INTERVAL_MILLIS, id -> flush());
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
                                .tag("source", source.name()).tag("fingerprint", fingerprint).register(registry)));
        tally.counter.increment();
        tally.lastMillis.accumulateAndGet(clock.millis(), Math::max);
    }

    /** When this instance last saw the secret verify a delivery, including what is not written yet. */
    public Optional<Instant> lastSeenHere(String source, String fingerprint) {
        Tally tally = tallies.getOrDefault(source, Map.of()).get(fingerprint);
        return tally == null || tally.lastMillis.get() == 0 ? Optional.empty()
                : Optional.of(Instant.ofEpochMilli(tally.lastMillis.get()));
    }

    /** Writes the times not written yet; one write at a time, on the timer's thread. */
    void flush() {
        if (flushing) {
            return;
        }
        List<String> sources = new ArrayList<>();
        List<String> fingerprints = new ArrayList<>();
        List<OffsetDateTime> times = new ArrayList<>();
        List<Runnable> done = new ArrayList<>();
        tallies.forEach((source, bySecret) -> bySecret.forEach((fingerprint, tally) -> {
            long last = tally.lastMillis.get();
            if (last > tally.writtenMillis) {
                sources.add(source);
                fingerprints.add(fingerprint);
                times.add(Instant.ofEpochMilli(last).atOffset(ZoneOffset.UTC));
                done.add(() -> tally.writtenMillis = Math.max(tally.writtenMillis, last));
            }
        }));
        if (sources.isEmpty()) {
            return;
        }
        flushing = true;
        store.recordUse(sources, fingerprints, times).subscribe().with(ok -> {
            flushing = false;
            done.forEach(Runnable::run);
        }, failure -> {
            flushing = false;
            LOG.debugf("Could not record when secrets last verified a delivery (%s); retrying", failure.toString());
        });
    }

    @PreDestroy
    void stop() {
        vertx.cancelTimer(timer);
        flush();
    }
}
