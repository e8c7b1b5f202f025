package io.webhookingest.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** {@code ce_time} is written by hand, exactly as {@link DateTimeFormatter#ISO_INSTANT} writes it. */
class CloudEventTimeTest {

    static final long SEED = 20261207L;

    @Test
    void everyPrecisionIsWrittenAsTheIsoFormatterWritesIt() {
        List<Instant> instants = List.of(
                Instant.EPOCH,
                Instant.parse("2026-12-07T22:21:02Z"),
                Instant.parse("2026-12-07T22:21:02.120Z"),
                Instant.parse("2026-12-07T22:21:02.000100Z"),
                Instant.parse("2026-12-07T22:21:02.000000001Z"),
                Instant.parse("2024-02-29T23:59:59.999999999Z"),
                Instant.parse("1969-12-31T23:59:59.500Z"),
                Instant.parse("0000-01-01T00:00:00Z"),
                Instant.parse("9999-12-31T23:59:59.999Z"),
                Instant.parse("-0001-12-31T23:59:59Z"),
                Instant.parse("+10000-01-01T00:00:00Z"));
        for (Instant instant : instants) {
            assertEquals(DateTimeFormatter.ISO_INSTANT.format(instant), CloudEventRecord.time(instant));
        }
    }

    @Test
    void randomInstantsOfEveryPrecisionAreWrittenAsTheIsoFormatterWritesThem() {
        Random random = new Random(SEED);
        int[] units = {1_000_000_000, 1_000_000, 1_000, 1};
        for (int i = 0; i < 100_000; i++) {
            long seconds = random.nextLong(-62_167_219_200L, 253_402_300_800L);
            int unit = units[random.nextInt(units.length)];
            Instant instant = Instant.ofEpochSecond(seconds, random.nextInt(1_000_000_000 / unit) * (long) unit);
            assertEquals(DateTimeFormatter.ISO_INSTANT.format(instant), CloudEventRecord.time(instant),
                    () -> "seed " + SEED + ": " + instant.getEpochSecond() + "s " + instant.getNano() + "ns");
        }
    }
}
