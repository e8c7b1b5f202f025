-- Nonces of schemes that sign one (xpanse), kept until their timestamp leaves the window. The nonce and the event it
-- came with are inserted by one statement, so a replay stores nothing and a failure leaves no orphan nonce.
create table seen_nonce (
    source     text        not null,
    nonce      text        not null,
    expires_at timestamptz not null,
    primary key (source, nonce)
);

create index seen_nonce_expiry on seen_nonce (expires_at);
