package io.webhookingest.admin;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One step in an event's history.
 *
 * @param at     when it happened; none for {@code queued}, which is still to happen
 * @param what   {@code received}, {@code replayed}, {@code published}, {@code failed}, {@code released}, or
 *               {@code queued} while the event waits for the relay
 * @param detail the broker's reason for {@code failed}, the ids of the events a release stored for
 *               {@code released}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HistoryEntry(Instant at, String what, String detail) {
}
