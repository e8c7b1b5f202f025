-- Publication state moves out of the event row into a narrow queue. Marking an event published used to rewrite its
-- whole row (body and headers included) and, because partial indexes test status, could never be a HOT update: about
-- 40 % of the write-ahead log at load. Now an event to publish is stored once, with status 'published', plus one row
-- here; the relay deletes that row when the broker acknowledges the event. An event with a row here is pending.
create table event_outbox (
    id uuid primary key
);

insert into event_outbox (id) select id from event where status = 'pending';
update event set status = 'published' where status = 'pending';

drop index event_pending;
-- The moment of publication is the Kafka record's timestamp; keeping it here cost the row rewrite above.
alter table event drop column published_at;

alter table event drop constraint event_status;
alter table event add constraint event_status
    check (status in ('published', 'recorded', 'quarantined', 'released', 'failed'));
