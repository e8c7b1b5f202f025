-- Sessions of the console, signed in with the admin token: shared by every instance behind the load balancer and
-- ended for all of them at sign-out. Only the SHA-256 of the cookie is stored, and the fingerprint of the admin
-- token it was opened with, so rotating the token ends every session.
create table console_session (
    cookie_sha256     text        primary key,
    csrf              text        not null,
    token_fingerprint text        not null,
    expires_at        timestamptz not null
);

create index console_session_expiry on console_session (expires_at);
