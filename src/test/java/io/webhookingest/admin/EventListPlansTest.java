package io.webhookingest.admin;

import static io.webhookingest.testing.GenericPlans.assertIndexScan;
import static io.webhookingest.testing.GenericPlans.sequentialScans;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.webhookingest.store.EventIds;
import io.webhookingest.testing.GenericPlans;

/**
 * A page of the event list, filtered by source or by subject and continued by keyset on the id, walks the index on
 * that column from the newest end, under a generic plan, on 100 k events that were never analyzed: a source with few
 * events among many costs a page of index entries, not a scan of the others. The statements are those
 * {@link AdminService#list} has Hibernate write: the same filter and order.
 */
class EventListPlansTest {

    @RegisterExtension
    static final GenericPlans PLANS = new GenericPlans();

    static final String COLUMNS = "e.id, e.source, e.type, e.subject, case when exists (select 1 from event_outbox o"
            + " where o.event_id = e.id) then 'pending' else e.status end, e.received_at";
    static final String PAGE_OF_SOURCE = "select " + COLUMNS + " from event e where e.source = $1 and e.id < $2"
            + " order by e.source desc, e.id desc limit 100";
    static final String PAGE_OF_SOURCE_AND_TYPE = "select " + COLUMNS + " from event e where e.source = $1"
            + " and e.type = $2 and e.id < $3 order by e.source desc, e.type desc, e.id desc limit 100";
    static final String PAGE_OF_SUBJECT = "select " + COLUMNS + " from event e where e.subject = $1 and e.id < $2"
            + " order by e.subject desc, e.id desc limit 100";

    @Test
    void aPageOfOneSourceWalksTheSourceIndex() throws SQLException {
        String plan = PLANS.plan(PAGE_OF_SOURCE, "'stripe'", "'" + PLANS.newId() + "'");

        assertEquals(List.of(), sequentialScans(plan), plan);
        assertIndexScan(plan, "event_today", "source");
        assertIndexScan(plan, "event_yesterday", "source");
    }

    @Test
    void aPageOfOneTypeOfASourceWalksTheSourceAndTypeIndex() throws SQLException {
        String plan = PLANS.plan(PAGE_OF_SOURCE_AND_TYPE, "'hubject'", "'oem.contract.created'",
                "'" + PLANS.newId() + "'");

        assertEquals(List.of(), sequentialScans(plan), plan);
        assertIndexScan(plan, "event_today", "source", "type");
    }

    @Test
    void findingBySubjectWalksTheSubjectIndex() throws SQLException {
        String plan = PLANS.plan(PAGE_OF_SUBJECT, "'contract-7'", "'" + PLANS.newId() + "'");

        assertEquals(List.of(), sequentialScans(plan), plan);
        assertIndexScan(plan, "event_today", "subject");
    }

    @Test
    void anEventsHistoryIsFoundByItsIdInItsPartition() throws SQLException {
        String plan = PLANS.plan(AdminService.ACTIVITY, "'" + PLANS.newId() + "'");

        assertEquals(List.of(), sequentialScans(plan), plan);
        assertIndexScan(plan, "event_activity_today", "event_id");
        assertIndexScan(plan, "event_outbox", "event_id");
    }

    @Test
    void theHistoryOfAnEventKeptPastItsPartitionIsFoundByIndexToo() throws SQLException {
        String plan = PLANS.plan(AdminService.ACTIVITY, "'" + EventIds.lowerBound(Instant.now().plus(Duration
                .ofDays(400))) + "'");

        assertEquals(List.of(), sequentialScans(plan), plan);
        assertIndexScan(plan, "event_activity_kept", "event_id");
    }
}
