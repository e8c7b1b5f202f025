-- Deliveries per source, minute and outcome, cluster-wide: every instance adds its own counts every few seconds, so
-- charts read a few thousand rows instead of scanning events. 'published' rows carry the publish delay.
create table delivery_rollup (
    source       text        not null,
    minute       timestamptz not null,
    outcome      text        not null,
    reason       text        not null,
    deliveries   bigint      not null,
    delay_ms_sum bigint      not null default 0,
    delay_ms_max bigint      not null default 0,
    primary key (source, minute, outcome, reason)
);

create index delivery_rollup_by_minute on delivery_rollup (minute);
