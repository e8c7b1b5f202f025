-- An event the broker refuses for good (too large for the topic, invalid topic, no authorization) is set aside as
-- 'failed' with the broker's reason, instead of blocking every event behind it. It stays stored, is never deleted by
-- retention, and is published again by an operator's replay once the cause is fixed.
alter table event drop constraint event_status;
alter table event add constraint event_status
    check (status in ('pending', 'published', 'recorded', 'quarantined', 'released', 'failed'));

create index event_failed on event (id) where status = 'failed';
