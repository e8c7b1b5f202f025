-- Revisions come from one sequence for all sources, so a source deleted and created again never shows a revision an
-- instance already holds for its earlier self: each instance rebuilds a source whenever its revision differs.
create sequence source_revision as bigint owned by source.revision;
do $$
begin
    perform setval('source_revision', coalesce((select max(revision) from source), 0) + 1, false);
end
$$;
alter table source alter column revision set default nextval('source_revision');
