-- The console's event list, newest first by keyset on the id, filtered by source or found by subject: each walks its
-- index from the newest end, so a page costs the same on tens of millions of rows. Every partition gets them, those
-- the service creates ahead included. Building them holds writes to the event table while it runs: on a large table,
-- migrate in a quiet hour.
create index event_by_source on event (source, id);
create index event_by_subject on event (subject, id);
