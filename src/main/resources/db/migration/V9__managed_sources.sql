-- Sources managed at run time through the admin API, beside the configured ones. Every change raises the source's
-- revision and notifies 'ingest_sources', so that each instance rebuilds only what changed.
create table source (
    name       text        primary key,
    -- the source's settings as configuration keys under ingest.sources.<name>. (lists as key[0], key[1], ...)
    settings   jsonb       not null,
    enabled    boolean     not null default true,
    revision   bigint      not null default 1,
    updated_at timestamptz not null default now()
);

-- Secrets sealed with AES-256-GCM under the key named by key_id (never stored here); the source name and the
-- fingerprint are bound to the ciphertext as associated data, so a row cannot be moved to another source.
create table source_secret (
    source      text        not null references source (name) on delete cascade,
    fingerprint text        not null,
    key_id      text        not null,
    sealed      bytea       not null,
    not_after   timestamptz,
    created_at  timestamptz not null default now(),
    primary key (source, fingerprint)
);

-- When each secret, configured or managed, last verified a delivery: written by every instance every few seconds.
create table secret_use (
    source           text        not null,
    fingerprint      text        not null,
    last_verified_at timestamptz not null,
    primary key (source, fingerprint)
);
