-- The W3C traceparent of the request that delivered the event, so that its publication, which happens later and
-- possibly on another instance, joins the same trace.
alter table event add column trace_parent text;
