package io.webhookingest.store;

import java.util.UUID;

/**
 * What storing an event did.
 *
 * @param id      the id of the stored event: the new one, or the one that already had this identity
 * @param created true when this delivery created the event, false when it was a duplicate
 * @param status  the new event's status when created
 */
public record StoredEvent(UUID id, boolean created, EventStatus status) {
}
