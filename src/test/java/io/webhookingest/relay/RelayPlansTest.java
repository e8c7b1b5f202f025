package io.webhookingest.relay;

import static io.webhookingest.testing.GenericPlans.array;
import static io.webhookingest.testing.GenericPlans.assertIndexScan;
import static io.webhookingest.testing.GenericPlans.sequentialScans;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.SQLException;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.webhookingest.testing.GenericPlans;

/**
 * A relay round reads the head of the queue and its events, and takes them off the queue, through indexes whatever
 * the planner knows: under a generic plan, on a queue and an event table of 100 k rows that were never analyzed.
 */
class RelayPlansTest {

    @RegisterExtension
    static final GenericPlans PLANS = new GenericPlans();

    @Test
    void roundReadsTheHeadOfTheQueueByIndex() throws SQLException {
        String plan = PLANS.plan(OutboxRepository.HEAD.formatted(1000), "4194304");

        assertEquals(List.of(), sequentialScans(plan), plan);
        assertIndexScan(plan, "event_outbox");
    }

    @Test
    void roundReadsTheEventsItDoesNotHoldByIndex() throws SQLException {
        String plan = PLANS.plan(OutboxRepository.EVENTS, array("uuid", PLANS.newId(), PLANS.newId()));

        assertEquals(List.of(), sequentialScans(plan), plan);
        assertIndexScan(plan, "event_today", "id");
        assertIndexScan(plan, "event_yesterday", "id");
    }

    @Test
    void publishedEntriesLeaveTheQueueByIndex() throws SQLException {
        String plan = PLANS.plan(OutboxRepository.MARK_PUBLISHED, array("bigint", 1, 2, 3), "'planner'", "0");

        assertEquals(List.of(), sequentialScans(plan), plan);
        assertIndexScan(plan, "event_outbox", "seq");
    }

    @Test
    void failedEventIsMarkedByIndex() throws SQLException {
        String plan = PLANS.plan(OutboxRepository.MARK_FAILED, "1", "'planner'", "0", "'refused'");

        assertEquals(List.of(), sequentialScans(plan), plan);
        assertIndexScan(plan, "event_outbox", "seq");
        assertIndexScan(plan, "event_today", "id");
    }
}
