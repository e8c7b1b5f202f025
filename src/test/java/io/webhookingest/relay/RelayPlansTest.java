package io.webhookingest.relay;

import static io.webhookingest.testing.GenericPlans.array;
import static io.webhookingest.testing.GenericPlans.assertIndexScan;
import static io.webhookingest.testing.GenericPlans.sequentialScans;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.sql.SQLException;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.webhookingest.testing.GenericPlans;

/**
 * A relay round reads the head of the queue and its events, and takes them off the queue, through indexes whatever
 * the planner knows: under a generic plan, on a queue and an event table of 100 k rows that were never analyzed.
 */
class RelayPlansTest {

    static GenericPlans plans;

    @BeforeAll
    static void fill() throws SQLException {
        plans = GenericPlans.unanalyzed();
        assertFalse(plans.anyAnalyzed(), "the planner must not have statistics for this to test anything");
    }

    @AfterAll
    static void drop() throws SQLException {
        plans.close();
    }

    @Test
    void roundReadsTheHeadOfTheQueueAndItsEventsByIndex() throws SQLException {
        String plan = plans.plan(OutboxRepository.NEXT_BATCH.formatted(1000), "4194304");

        assertEquals(List.of(), sequentialScans(plan), plan);
        assertIndexScan(plan, "event_outbox");
        assertIndexScan(plan, "event_today", "id");
        assertIndexScan(plan, "event_yesterday", "id");
    }

    @Test
    void publishedEntriesLeaveTheQueueByIndex() throws SQLException {
        String plan = plans.plan(OutboxRepository.MARK_PUBLISHED, array("bigint", 1, 2, 3), "'planner'", "0");

        assertEquals(List.of(), sequentialScans(plan), plan);
        assertIndexScan(plan, "event_outbox", "seq");
    }

    @Test
    void failedEventIsMarkedByIndex() throws SQLException {
        String plan = plans.plan(OutboxRepository.MARK_FAILED, "1", "'planner'", "0", "'refused'");

        assertEquals(List.of(), sequentialScans(plan), plan);
        assertIndexScan(plan, "event_outbox", "seq");
        assertIndexScan(plan, "event_today", "id");
    }
}
