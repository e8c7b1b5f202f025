package io.webhookingest.admin;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.quarkus.panache.common.Parameters;
import io.webhookingest.store.EventIds;

/**
 * Which events an admin listing or bulk replay covers. Time bounds use the event ids, which are time-ordered, so
 * they are answered from the primary key.
 *
 * @param source the source name
 * @param type   the event type
 * @param status the status
 * @param since  received at or after
 * @param until  received before
 * @param subject the event's subject, exactly
 * @param before  ids below this one: the next page of a listing, newest first
 */
public record EventFilter(Optional<String> source, Optional<String> type, Optional<String> status,
        Optional<Instant> since, Optional<Instant> until, Optional<String> subject, Optional<UUID> before) {

    /** A filter on what bulk replay and the admin API's listing take. */
    public EventFilter(Optional<String> source, Optional<String> type, Optional<String> status,
            Optional<Instant> since, Optional<Instant> until) {
        this(source, type, status, since, until, Optional.empty(), Optional.empty());
    }

    private static final Set<String> QUEUED = Set.of("pending", "published");

    /** The HQL condition on {@code EventEntity e}, or an empty string when the filter covers everything. */
    String where() {
        List<String> conditions = new ArrayList<>();
        source.ifPresent(s -> conditions.add("e.source = :source"));
        type.ifPresent(t -> conditions.add("e.type = :type"));
        status.ifPresent(s -> conditions.add(statusCondition(s)));
        since.ifPresent(s -> conditions.add("e.id >= :since"));
        until.ifPresent(u -> conditions.add("e.id < :until"));
        subject.ifPresent(s -> conditions.add("e.subject = :subject"));
        before.ifPresent(b -> conditions.add("e.id < :before"));
        return String.join(" and ", conditions);
    }

    Parameters parameters() {
        Parameters parameters = new Parameters();
        source.ifPresent(s -> parameters.and("source", s));
        type.ifPresent(t -> parameters.and("type", t));
        status.filter(s -> !QUEUED.contains(s)).ifPresent(s -> parameters.and("status", s));
        since.ifPresent(s -> parameters.and("since", EventIds.lowerBound(s)));
        until.ifPresent(u -> parameters.and("until", EventIds.lowerBound(u)));
        subject.ifPresent(s -> parameters.and("subject", s));
        before.ifPresent(b -> parameters.and("before", b));
        return parameters;
    }

    /**
     * Pending and published events are both stored as published and told apart by the outbox queue; every other
     * status is the column alone, so that the partial indexes on rare statuses serve it.
     */
    private static String statusCondition(String status) {
        String queued = "exists (select 1 from OutboxEntry o where o.eventId = e.id)";
        return switch (status) {
            case "pending" -> queued;
            case "published" -> "e.storedStatus = 'published' and not " + queued;
            default -> "e.storedStatus = :status";
        };
    }

    EventFilter withStatus(String newStatus) {
        return new EventFilter(source, type, Optional.of(newStatus), since, until, subject, before);
    }
}
