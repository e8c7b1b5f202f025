package io.webhookingest.store;

import static io.webhookingest.testing.GenericPlans.CURRENT_GENERATION;
import static io.webhookingest.testing.GenericPlans.PREVIOUS_GENERATION;
import static io.webhookingest.testing.GenericPlans.array;
import static io.webhookingest.testing.GenericPlans.assertIndexScan;
import static io.webhookingest.testing.GenericPlans.sequentialScans;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.webhookingest.testing.GenericPlans;

/**
 * The statements every delivery runs reach stored keys through their unique index whatever the planner knows: here
 * under a generic plan, on tables of 100 k rows that were never analyzed (a cached plan is not made again until an
 * ANALYZE, which may not come for a long while on a busy table).
 */
class HotPathPlansTest {

    @RegisterExtension
    static final GenericPlans PLANS = new GenericPlans();

    @Test
    void insertLooksUpKeysOfThePreviousGenerationByIndex() throws SQLException {
        String plan = PLANS.plan(EventRepository.INSERT, insertArguments());

        assertEquals(List.of(), sequentialScans(plan), plan);
        assertIndexScan(plan, "event_key_" + PREVIOUS_GENERATION, "source", "key");
    }

    @Test
    void insertDuringAnOverlapClaimsWithoutReadingTables() throws SQLException {
        String plan = PLANS.plan(EventRepository.INSERT_IN_OVERLAP, insertArguments());

        assertEquals(List.of(), sequentialScans(plan), plan);
    }

    @Test
    void redeliveryFindsTheStoredEventByIndexInBothGenerations() throws SQLException {
        String plan = PLANS.plan(EventRepository.FIND_EXISTING,
                array("uuid", PLANS.newId()), array("text", "hubject"), array("text", PLANS.storedIdentity()),
                array("text", "digest"), array("int", CURRENT_GENERATION, PREVIOUS_GENERATION));

        assertEquals(List.of(), sequentialScans(plan), plan);
        assertIndexScan(plan, "event_key_" + PREVIOUS_GENERATION, "source", "key");
        assertIndexScan(plan, "event_key_" + CURRENT_GENERATION, "source", "key");
    }

    /**
     * A redelivery names the stored event from the insert itself: one probe of each generation's unique index, the
     * newest first, once, and none by its content digest when its identity was found.
     */
    @Test
    void aRedeliveryIsFoundWithOneProbePerGenerationAndNoneByItsContent() throws SQLException {
        UUID redelivered = PLANS.newId();
        String plan = PLANS.run(EventRepository.INSERT, array("uuid", redelivered), array("text", "hubject"),
                array("text", PLANS.storedIdentity()), array("text", "t"), array("text", "s"),
                array("text", "published"), array("text", "webhooks.hubject"),
                array("timestamptz", "2026-12-02T10:00:00Z"), array("bytea", "\\x7b7d"), array("bytea", (Object) null),
                array("text", "{}"), array("text", (Object) null), array("text", (Object) null),
                array("text", (Object) null), array("boolean", true), array("int", 1), array("uuid", redelivered),
                array("int2", 2), array("text", "digest-of-the-body"), String.valueOf(PREVIOUS_GENERATION),
                String.valueOf(CURRENT_GENERATION));

        assertTrue(plan.contains("Insert on event_key"), plan);
        assertEquals(1, GenericPlans.probes(plan, "event_key_" + CURRENT_GENERATION),
                "the current generation, probed once for the identity:\n" + plan);
        assertEquals(3, GenericPlans.probes(plan, "event_key_" + PREVIOUS_GENERATION),
                "the previous generation, probed for the identity and the digest before the claims, and for the"
                        + " identity once more to name its event:\n" + plan);
    }

    /** A new delivery with a nonce and a redelivery of a stored one, in one batch. */
    private static String[] insertArguments() {
        UUID created = PLANS.newId();
        UUID redelivered = new UUID(created.getMostSignificantBits(), created.getLeastSignificantBits() + 1);
        return new String[] {
            array("uuid", created, redelivered), array("text", "hubject", "hubject"),
            array("text", "new-1", PLANS.storedIdentity()), array("text", "t", "t"), array("text", "s", "s"),
            array("text", "published", "published"), array("text", "webhooks.hubject", "webhooks.hubject"),
            array("timestamptz", "2026-12-02T10:00:00Z", "2026-12-02T10:00:00Z"),
            array("bytea", "\\x7b7d", "\\x7b7d"), array("bytea", null, null), array("text", "{}", "{}"),
            array("text", null, null), array("text", null, null), array("text", null, null),
            array("boolean", true, true), array("int", 1, 0), array("uuid", created), array("int2", 3),
            array("text", "nonce-1"), String.valueOf(PREVIOUS_GENERATION), String.valueOf(CURRENT_GENERATION)
        };
    }
}
