package io.webhookingest.admin;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
 */
public record EventFilter(Optional<String> source, Optional<String> type, Optional<String> status,
        Optional<Instant> since, Optional<Instant> until) {

    /** The HQL condition, or an empty string when the filter covers everything. */
    String where() {
        List<String> conditions = new ArrayList<>();
        source.ifPresent(s -> conditions.add("source = :source"));
        type.ifPresent(t -> conditions.add("type = :type"));
        status.ifPresent(s -> conditions.add("status = :status"));
        since.ifPresent(s -> conditions.add("id >= :since"));
        until.ifPresent(u -> conditions.add("id < :until"));
        return String.join(" and ", conditions);
    }

    Parameters parameters() {
        Parameters parameters = new Parameters();
        source.ifPresent(s -> parameters.and("source", s));
        type.ifPresent(t -> parameters.and("type", t));
        status.ifPresent(s -> parameters.and("status", s));
        since.ifPresent(s -> parameters.and("since", EventIds.lowerBound(s)));
        until.ifPresent(u -> parameters.and("until", EventIds.lowerBound(u)));
        return parameters;
    }

    EventFilter withStatus(String newStatus) {
        return new EventFilter(source, type, Optional.of(newStatus), since, until);
    }
}
