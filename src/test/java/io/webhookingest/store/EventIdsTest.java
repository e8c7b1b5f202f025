package io.webhookingest.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class EventIdsTest {

    static final Instant NOW = Instant.parse("2026-11-23T12:00:00.123Z");

    @Test
    void idsAreVersion7WithTheRfcVariantAndCarryTheirMillisecond() {
        UUID id = new EventIds(Clock.fixed(NOW, ZoneOffset.UTC)).next();
        assertEquals(7, id.version());
        assertEquals(2, id.variant());
        assertEquals(NOW, EventIds.timeOf(id));
    }

    @Test
    void idsFromOneInstanceStrictlyIncreaseEvenWithinOneMillisecond() {
        EventIds ids = new EventIds(Clock.fixed(NOW, ZoneOffset.UTC));
        List<String> issued = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            issued.add(ids.next().toString());
        }
        List<String> sorted = new ArrayList<>(issued);
        sorted.sort(null);
        assertEquals(sorted, issued, "string order (as Postgres orders uuids) is issue order");
        assertEquals(10_000, issued.stream().distinct().count());
    }

    @Test
    void lowerBoundSortsBeforeEveryIdOfThatMillisecondAndAfterEarlierOnes() {
        UUID earlier = new EventIds(Clock.fixed(NOW.minusMillis(1), ZoneOffset.UTC)).next();
        UUID now = new EventIds(Clock.fixed(NOW, ZoneOffset.UTC)).next();
        String bound = EventIds.lowerBound(NOW).toString();
        assertTrue(earlier.toString().compareTo(bound) < 0);
        assertTrue(now.toString().compareTo(bound) >= 0);
    }
}
