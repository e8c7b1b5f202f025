-- The console's event list, newest first by keyset on the id, filtered by source (and type) or found by subject: each
-- walks its index from the newest end, so a page costs the same on tens of millions of rows. The rare statuses get
-- partial indexes like those of quarantined and failed events. Every partition gets them, those the service creates
-- ahead included. Building them holds writes to the event table while it runs: on a large table, migrate in a quiet
-- hour.
create index event_by_source on event (source, id);
create index event_by_source_type on event (source, type, id);
create index event_by_subject on event (subject, id);
create index event_recorded on event (id) where status = 'recorded';
create index event_released on event (id) where status = 'released';
