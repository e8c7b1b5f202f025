package io.webhookingest.ingest;

import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.webhookingest.config.IngestConfig;
import io.webhookingest.source.SourceRegistry;

/**
 * The one budget for request body bytes held in memory, across every delivery in flight. A delivery reserves its
 * declared length before its body is read (or, sent without one, as it grows), and gives the reservation back once
 * nothing holds its bytes any more. What would exceed the budget is refused at once with 503, which providers retry,
 * instead of letting concurrent uploads exhaust the heap and take every provider's deliveries down with them.
 * <p>
 * The default is a quarter of the maximum heap, and never less than the largest body a source accepts, so that every
 * acceptable delivery fits when it arrives alone. Exposed as {@code webhook_ingest_inflight_bytes} and
 * {@code webhook_ingest_inflight_bytes_limit}.
 */
@ApplicationScoped
public class InflightBudget {

    private static final Logger LOG = Logger.getLogger(InflightBudget.class);

    private final long limit;
    private final AtomicLong reserved = new AtomicLong();

    InflightBudget(IngestConfig config, SourceRegistry sources, MeterRegistry registry) {
        long largestBody = sources.all().stream().mapToLong(s -> s.maxBodySize()).max()
                .orElse(config.maxBodySize().asLongValue());
        if (config.maxInflightBytes().isPresent()) {
            this.limit = config.maxInflightBytes().get().asLongValue();
            if (limit < largestBody) {
                throw new IllegalStateException("ingest.max-inflight-bytes (" + limit + ") is smaller than the"
                        + " largest body a source accepts (" + largestBody + "), which could then never be received");
            }
        } else {
            this.limit = Math.max(Runtime.getRuntime().maxMemory() / 4, largestBody);
        }
        LOG.debugf("Request bodies in memory are limited to %d bytes in all", limit);
        Gauge.builder("webhook.ingest.inflight.bytes", reserved, AtomicLong::get).baseUnit("bytes")
                .description("Request body bytes reserved by deliveries in flight").register(registry);
        Gauge.builder("webhook.ingest.inflight.bytes.limit", () -> limit).baseUnit("bytes")
                .description("The most request body bytes held in memory at once (ingest.max-inflight-bytes)")
                .register(registry);
    }

    public long limit() {
        return limit;
    }

    /** A new, empty reservation. */
    Reservation open() {
        return new Reservation();
    }

    /**
     * The bytes one delivery holds. Confined to the delivery's event loop, except {@link #release()}, which may run
     * wherever the last holder of the body lets go of it and is idempotent.
     */
    final class Reservation {

        private final AtomicLong held = new AtomicLong();

        /** Grows the reservation to {@code bytes} in all; false, and unchanged, when the budget cannot take it. */
        boolean growTo(long bytes) {
            long more = bytes - held.get();
            if (more <= 0) {
                return true;
            }
            while (true) {
                long current = reserved.get();
                if (current + more > limit) {
                    return false;
                }
                if (reserved.compareAndSet(current, current + more)) {
                    held.addAndGet(more);
                    return true;
                }
            }
        }

        void release() {
            long bytes = held.getAndSet(0);
            if (bytes > 0) {
                reserved.addAndGet(-bytes);
            }
        }
    }
}
