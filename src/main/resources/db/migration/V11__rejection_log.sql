-- Deliveries that were refused (401, 400, 404, 408, 413), sampled per source under a flood and kept for
-- ingest.rejections.retention. Never a body: only its size and SHA-256, the header names and what was wrong.
create table rejection (
    id             bigint      generated always as identity primary key,
    received_at    timestamptz not null,
    -- the source name as the sender wrote it in the URL, known or not
    source         text        not null,
    status         smallint    not null,
    reason         text        not null,
    detail         text        not null,
    hint           text,
    remote_address text,
    -- comma-separated: a header name cannot contain a comma
    header_names   text        not null,
    -- null when the body was not read to its end
    body_size      bigint,
    body_sha256    text
);

-- Newest first, overall and per source, by keyset on id; and expiry by time.
create index rejection_by_source on rejection (source, id);
create index rejection_by_time on rejection (received_at);
