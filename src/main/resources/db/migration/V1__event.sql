-- One row per event received. The row is both the durable record of the delivery and the outbox entry the relay
-- publishes from, so accepting an event and scheduling its publication are one atomic insert.
create table event (
    -- UUIDv7, time-ordered; also the published ce_id
    id           uuid primary key,
    source       text        not null,
    -- the provider's event identity; a second delivery of the same identity is a duplicate
    identity     text        not null,
    type         text        not null,
    subject      text        not null,
    status       text        not null,
    topic        text        not null,
    received_at  timestamptz not null,
    published_at timestamptz,
    -- the raw request body, byte for byte
    body         bytea       not null,
    -- the record value when it is not the raw body (one event of a delivery that rolls up several)
    value        bytea,
    -- the request headers as received, minus credentials; json (not jsonb) keeps them verbatim
    headers      json        not null,
    constraint event_status check (status in ('pending', 'published', 'recorded')),
    constraint event_identity unique (source, identity)
);

-- What the relay reads: only unpublished rows, in id (arrival) order. Small, because rows leave it once published.
create index event_pending on event (id) where status = 'pending';
