-- Signed deliveries that cannot be read are kept as 'quarantined' rows (raw body, headers, URL and the reason),
-- never published until an operator releases them; a released row stays as the record of what arrived. Their
-- identity is the body digest, so a sender's retries of the same bytes do not pile up; type and subject are unknown.
alter table event alter column type drop not null;
alter table event alter column subject drop not null;
alter table event add column reason text;
alter table event add column url text;
alter table event drop constraint event_status;
alter table event add constraint event_status
    check (status in ('pending', 'published', 'recorded', 'quarantined', 'released'));
alter table event add constraint event_described
    check (status in ('quarantined', 'released') or (type is not null and subject is not null));

create index event_quarantined on event (id) where status = 'quarantined';

-- One row per relay role: the instance holding it publishes; the others stand by until it expires.
create table relay_lease (
    name       text        primary key,
    holder     text        not null,
    expires_at timestamptz not null
);
