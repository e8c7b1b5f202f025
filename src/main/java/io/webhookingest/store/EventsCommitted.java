package io.webhookingest.store;

import java.util.List;

/**
 * Fired after a commit that queued events to publish, so the relay can publish them at once instead of on its next
 * poll.
 *
 * @param stored the events the commit stored, as stored, so that the relay need not read them back; empty when the
 *               relay is to read what the commit queued (an operator's replay or release)
 */
public record EventsCommitted(List<NewEvent> stored) {

    /** Events were queued that the relay reads from the table. */
    public static EventsCommitted queued() {
        return new EventsCommitted(List.of());
    }
}
