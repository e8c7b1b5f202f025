-- Storage that ages out at no cost per event: expiring old data drops whole partitions instead of deleting rows.

-- 1. Deduplication keys leave the event table for event_key, partitioned by generation. A generation is a span of
-- time as long as the retention (event_key_generation); a key is unique within its generation, and a writer checks
-- the previous generation too, so an identity is deduplicated for at least the retention, whichever partition holds
-- its event. A generation is dropped, whole, once the next one has ended. Kinds: 1 the provider's identity, 2 the
-- digest of an event's content (identities no signature covers), 3 a signed nonce (which had its own table).
create table event_key_generation (
    gen       integer     primary key,
    starts_at timestamptz not null,
    ends_at   timestamptz not null,
    constraint event_key_generation_span check (starts_at < ends_at)
);

create table event_key (
    gen      integer  not null,
    source   text     not null,
    kind     smallint not null,
    key      text     not null,
    -- the event the key belongs to; none for a nonce
    event_id uuid,
    constraint event_key_unique unique (source, kind, key, gen),
    constraint event_key_kind check (kind in (1, 2, 3))
) partition by list (gen);

-- Keys of a generation the service has not created (it creates them ahead) would land here rather than fail.
create table event_key_default partition of event_key default;

-- The first generation holds every key stored so far and ends 30 days from now; the service adds the next ones.
insert into event_key_generation (gen, starts_at, ends_at) values (0, '2000-01-01', now() + interval '30 days');
create table event_key_0 partition of event_key for values in (0);

insert into event_key (gen, source, kind, key, event_id) select 0, source, 1, identity, id from event;
insert into event_key (gen, source, kind, key, event_id)
    select 0, source, 2, encode(content_key, 'hex'), id from event where content_key is not null;
insert into event_key (gen, source, kind, key, event_id)
    select 0, source, 3, nonce, null from seen_nonce where expires_at > now();
drop table seen_nonce;

-- 2. The outbox queue is ordered by a sequence the database assigns at insert, so that publication follows the order
-- in which events were committed rather than each instance's clock; each entry carries its event's size, so that a
-- relay round can be bounded in bytes before it reads a body.
create table event_outbox_queue (
    seq      bigint  generated always as identity primary key,
    event_id uuid    not null,
    size     integer not null
);
insert into event_outbox_queue (event_id, size)
    select o.id, coalesce(octet_length(coalesce(e.value, e.body)), 0)
    from event_outbox o left join event e on e.id = o.id order by o.id;
drop table event_outbox;
alter table event_outbox_queue rename to event_outbox;
alter index event_outbox_queue_pkey rename to event_outbox_pkey;
-- An event is queued once (two replays at once queue it once), and is found in the queue by its id.
create unique index event_outbox_event on event_outbox (event_id);

-- 3. Events are partitioned by range of their time-ordered id, one partition a day, created ahead by the service and
-- dropped once past the retention; pending, failed and quarantined events are moved to event_kept first. The table
-- as it was becomes, without a copy, the partition of the days from its oldest event's to today.
alter table event drop constraint event_identity;
drop index event_content_key;
alter table event drop column content_key;
alter table event rename to event_history;
alter index event_pkey rename to event_history_pkey;
alter index event_quarantined rename to event_history_quarantined;
alter index event_failed rename to event_history_failed;

create table event (
    id           uuid        not null,
    source       text        not null,
    identity     text        not null,
    type         text,
    subject      text,
    status       text        not null,
    topic        text        not null,
    received_at  timestamptz not null,
    body         bytea       not null,
    value        bytea,
    headers      json        not null,
    reason       text,
    url          text,
    trace_parent text,
    constraint event_pkey primary key (id),
    constraint event_status check (status in ('published', 'recorded', 'quarantined', 'released', 'failed')),
    constraint event_described check (status in ('quarantined', 'released') or (type is not null and subject is not null))
) partition by range (id);

create index event_quarantined on event (id) where status = 'quarantined';
create index event_failed on event (id) where status = 'failed';

-- Events kept past their partition (pending, failed, quarantined), and any whose id falls in no partition.
create table event_kept partition of event default;

-- The table as it was covers the days from its oldest event's to today (UTC); ids before or after go elsewhere. Empty,
-- as in a new installation, it goes: the service creates the partitions of its configured span at startup.
do $$
declare
    oldest_millis bigint := coalesce(
        (select ('x' || lpad(substr(replace(id::text, '-', ''), 1, 12), 16, '0'))::bit(64)::bigint
         from event_history order by id limit 1),
        (extract(epoch from now()) * 1000)::bigint);
    -- A day's first id, as EventIds.lowerBound writes it: 48 bits of milliseconds, version 7, the RFC variant.
    first_id uuid := (lpad(to_hex((extract(epoch from date_trunc('day', to_timestamp(oldest_millis / 1000.0)
        at time zone 'utc')) * 1000)::bigint), 12, '0') || '70008000000000000000')::uuid;
    tomorrow uuid := (lpad(to_hex((extract(epoch from date_trunc('day', now() at time zone 'utc')
        + interval '1 day') * 1000)::bigint), 12, '0') || '70008000000000000000')::uuid;
begin
    if not exists (select 1 from event_history) then
        drop table event_history;
        return;
    end if;
    execute format('alter table event_history add constraint event_history_range check (id >= %L and id < %L)',
        first_id, tomorrow);
    execute format('alter table event attach partition event_history for values from (%L) to (%L)', first_id,
        tomorrow);
end $$;

-- 4. The relay lease carries a fencing token, raised each time another instance takes it over, so that an instance
-- that lost the lease (frozen past its expiry, say) can no longer change the queue when it wakes.
alter table relay_lease add column token bigint not null default 0;
