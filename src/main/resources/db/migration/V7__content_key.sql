-- A second deduplication key for events whose identity comes from a header no signature covers (GitHub's
-- X-GitHub-Delivery): the SHA-256 of the event's content. Resending a captured body and signature under a fresh
-- identity then conflicts here and is a duplicate. Null for every other event, so the index holds only those.
alter table event add column content_key bytea;

create unique index event_content_key on event (source, content_key) where content_key is not null;
