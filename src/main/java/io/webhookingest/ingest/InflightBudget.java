package io.webhookingest.ingest;

import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.webhookingest.config.IngestConfig;
import io.webhookingest.source.SourceRegistry;

/**
 * The one budget for the heap that request bodies take, across every delivery in flight. A delivery reserves its
 * declared length before its body is read (or, sent without one, as it grows), and gives the reservation back once
 * nothing holds its bytes any more: the answer is sent and every write that carries them has completed. What would
 * exceed the budget is refused at once with 503, which providers retry, instead of letting concurrent uploads exhaust
 * the heap and take every provider's deliveries down with them.
 * <p>
 * A body costs more heap than its bytes: parsing it builds a JSON tree, and writing it makes the driver's copy. Each
 * body byte is therefore counted {@link #HEAP_COST_PER_BODY_BYTE} times. The default budget is a quarter of the
 * maximum heap, and never less than what the largest body a source accepts costs, so that every acceptable delivery
 * fits when it arrives alone; a configuration that cannot fit it in three quarters of the heap is refused. Exposed as
 * {@code webhook_ingest_inflight_bytes} and {@code webhook_ingest_inflight_bytes_limit}.
 */
@Singleton
public class InflightBudget {

    /** The heap a body takes while in flight, per byte of it: the bytes, the parsed tree, the driver's copy. */
    static final int HEAP_COST_PER_BODY_BYTE = 4;
    /** A body is one Java array. */
    static final long LARGEST_BODY = Integer.MAX_VALUE - 8;

    private static final Logger LOG = Logger.getLogger(InflightBudget.class);

    private final long limit;
    private final AtomicLong reserved = new AtomicLong();

    InflightBudget(IngestConfig config, SourceRegistry sources, MeterRegistry registry) {
        long largestBody = sources.all().stream().mapToLong(s -> s.maxBodySize()).max()
                .orElse(config.maxBodySize().asLongValue());
        if (largestBody > LARGEST_BODY) {
            throw new IllegalStateException("max-body-size " + largestBody + " is over the most one body can be ("
                    + LARGEST_BODY + " bytes)");
        }
        long largestCost = largestBody * HEAP_COST_PER_BODY_BYTE;
        long heap = Runtime.getRuntime().maxMemory();
        this.limit = config.maxInflightBytes().map(size -> size.asLongValue())
                .orElse(Math.max(heap / 4, largestCost));
        if (limit < largestCost) {
            throw new IllegalStateException("ingest.max-inflight-bytes (" + limit + ") is smaller than what the"
                    + " largest body a source accepts costs in memory (" + HEAP_COST_PER_BODY_BYTE + " x "
                    + largestBody + "), which could then never be received");
        }
        if (limit > heap / 4 * 3) {
            throw new IllegalStateException("Request bodies in flight may take " + limit + " bytes, more than three"
                    + " quarters of the heap (" + heap + "): give the JVM more heap, or lower max-body-size or"
                    + " ingest.max-inflight-bytes");
        }
        LOG.debugf("Request bodies in memory are limited to %d bytes of heap in all", limit);
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

        /** Grows the reservation to a body of {@code bytes}; false, and unchanged, when the budget cannot take it. */
        boolean growTo(long bytes) {
            long more = bytes * HEAP_COST_PER_BODY_BYTE - held.get();
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
