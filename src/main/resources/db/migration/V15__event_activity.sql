-- What became of each event after it was stored, for its history on the console and the admin API: each time the
-- broker acknowledged it ('published') or refused it for good ('failed', with the broker's reason), and the release
-- of a quarantined delivery ('released', with the ids of the events it stored). The relay writes a round's entries in
-- the statement that takes the round off the queue, so an entry costs no round trip of its own.
create table event_activity (
    event_id    uuid        not null,
    at          timestamptz not null,
    action      text        not null,
    -- when an operator's replay queued the publication this entry ends; null for the event's first one
    replayed_at timestamptz,
    detail      text,
    constraint event_activity_action check (action in ('published', 'failed', 'released'))
) partition by range (event_id);

create index event_activity_event on event_activity (event_id);

-- Partitioned like event, by range of the event's id, so that an event's history leaves with its partition at no cost
-- per entry; the history of the events kept past their partition (see event_kept) is kept here with them.
create table event_activity_kept partition of event_activity default;

do $$
declare
    partition record;
begin
    for partition in
        select c.relname, pg_get_expr(c.relpartbound, c.oid) as bound from pg_inherits i
        join pg_class c on c.oid = i.inhrelid
        where i.inhparent = 'event'::regclass and c.relname <> 'event_kept'
    loop
        execute format('create table %I partition of event_activity %s',
            'event_activity_' || substr(partition.relname, length('event_') + 1), partition.bound);
    end loop;
end $$;

-- A replay queues an event again: the entry says when, so that its publication is told apart from the first.
alter table event_outbox add column replayed_at timestamptz;
