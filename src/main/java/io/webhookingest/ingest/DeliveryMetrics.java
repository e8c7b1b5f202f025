package io.webhookingest.ingest;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.webhookingest.observe.DeliveryRollup;
import io.webhookingest.store.StoredEvent;

/**
 * Counts deliveries per source and outcome, and times verification and commit:
 * <ul>
 * <li>{@code webhook_ingest_deliveries_total{source, outcome, reason}}: outcome {@code accepted}, {@code duplicate},
 * {@code challenge}, {@code rejected} (reason {@code signature}, {@code timestamp}, {@code replay},
 * {@code malformed}, {@code too_large}, {@code timeout}, {@code unknown_source}) or {@code unavailable} (503, reason
 * {@code store_unavailable} or {@code overloaded}: the in-flight byte budget was spent) or {@code error} (500, a
 * defect);</li>
 * <li>{@code webhook_ingest_verification_seconds{source}} and {@code webhook_ingest_commit_seconds{source}}:
 * histograms of signature verification and of the wait for the commit.</li>
 * </ul>
 * Unknown source names are counted as {@code _unknown}, so that a scanner cannot create series at will. Every count
 * also goes to the cluster-wide {@link DeliveryRollup} the console charts.
 */
@Singleton
public class DeliveryMetrics {

    public static final String UNKNOWN_SOURCE = "_unknown";
    static final String NONE = "none";
    static final String TOO_LARGE = "too_large";
    static final String TIMEOUT = "timeout";
    static final String UNKNOWN_SOURCE_REASON = "unknown_source";
    static final String UNAVAILABLE = "unavailable";

    private final MeterRegistry registry;
    private final DeliveryRollup rollup;
    private final Map<List<String>, Counter> deliveries = new ConcurrentHashMap<>();
    private final Map<String, Timer> verification = new ConcurrentHashMap<>();
    private final Map<String, Timer> commit = new ConcurrentHashMap<>();

    DeliveryMetrics(MeterRegistry registry, DeliveryRollup rollup) {
        this.registry = registry;
        this.rollup = rollup;
    }

    /** Counts one answered delivery. */
    void record(String source, IngestResult result) {
        if (result instanceof IngestResult.Stored stored) {
            count(source, stored.events().stream().anyMatch(StoredEvent::created) ? "accepted" : "duplicate", NONE);
        } else if (result instanceof IngestResult.Challenge) {
            count(source, "challenge", NONE);
        } else if (result instanceof IngestResult.Rejected rejected) {
            rejected(source, rejected.verdict().rejection().category().name().toLowerCase(Locale.ROOT));
        } else {
            rejected(source, "malformed");
        }
    }

    void rejected(String source, String reason) {
        count(source, "rejected", reason);
    }

    void unavailable(String source) {
        count(source, UNAVAILABLE, "store_unavailable");
    }

    /** Counts a delivery that failed on a defect (500). */
    void failed(String source) {
        count(source, "error", "internal_error");
    }

    /** Counts a delivery refused because the in-flight byte budget was spent. */
    void overloaded(String source) {
        count(source, UNAVAILABLE, "overloaded");
    }

    void verification(String source, long nanos) {
        verification.computeIfAbsent(source, name -> Timer.builder("webhook.ingest.verification")
                .description("Signature verification time").tag("source", name)
                .publishPercentileHistogram().register(registry)).record(Duration.ofNanos(nanos));
    }

    void commit(String source, long nanos) {
        commit.computeIfAbsent(source, name -> Timer.builder("webhook.ingest.commit")
                .description("Time from a verified delivery to its commit").tag("source", name)
                .publishPercentileHistogram().register(registry)).record(Duration.ofNanos(nanos));
    }

    private void count(String source, String outcome, String reason) {
        deliveries.computeIfAbsent(List.of(source, outcome, reason), key -> Counter.builder("webhook.ingest.deliveries")
                .description("Webhook deliveries by source and outcome")
                .tags("source", key.get(0), "outcome", key.get(1), "reason", key.get(2))
                .register(registry)).increment();
        rollup.delivered(source, outcome, reason);
    }
}
