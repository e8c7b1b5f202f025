package io.webhookingest.store;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Event ids are UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then a 12-bit counter that keeps ids from one
 * instance strictly increasing, then random bits. Time-ordered ids keep inserts at the right edge of the primary-key
 * index, give the relay its publishing order, and let time ranges be queried on the key alone.
 */
public final class EventIds {

    private static final long VERSION_7 = 0x7000L;
    private static final long VARIANT_RFC = 0x8000_0000_0000_0000L;
    private static final long RANDOM_62_BITS = 0x3FFF_FFFF_FFFF_FFFFL;

    private final Clock clock;
    /** The last (milliseconds &lt;&lt; 12 | counter) handed out. */
    private final AtomicLong last = new AtomicLong();

    public EventIds(Clock clock) {
        this.clock = clock;
    }

    public UUID next() {
        long fromClock = clock.millis() << 12;
        long stamp = last.accumulateAndGet(fromClock, (previous, now) -> Math.max(previous + 1, now));
        long mostSignificant = (stamp >>> 12) << 16 | VERSION_7 | (stamp & 0xFFF);
        long leastSignificant = VARIANT_RFC | (ThreadLocalRandom.current().nextLong() & RANDOM_62_BITS);
        return new UUID(mostSignificant, leastSignificant);
    }

    /** The smallest id that can be issued at or after {@code instant}; ids are compared bytewise in Postgres. */
    public static UUID lowerBound(Instant instant) {
        return new UUID(instant.toEpochMilli() << 16 | VERSION_7, VARIANT_RFC);
    }

    /** The time an id was issued, to the millisecond. */
    public static Instant timeOf(UUID id) {
        return Instant.ofEpochMilli(id.getMostSignificantBits() >>> 16);
    }
}
