package io.webhookingest.store;

import java.util.UUID;

/**
 * What storing an event did.
 *
 * @param id       the id of the stored event: the new one, or the one that already had this identity or content;
 *                 null when the event was replayed
 * @param created  true when this delivery created the event
 * @param replayed true when its signed nonce was seen before: a replay, and nothing was stored
 * @param status   the new event's status when created
 */
public record StoredEvent(UUID id, boolean created, boolean replayed, EventStatus status) {

    public static StoredEvent created(UUID id, EventStatus status) {
        return new StoredEvent(id, true, false, status);
    }

    public static StoredEvent duplicate(UUID existing, EventStatus status) {
        return new StoredEvent(existing, false, false, status);
    }

    public static StoredEvent replayed(EventStatus status) {
        return new StoredEvent(null, false, true, status);
    }
}
