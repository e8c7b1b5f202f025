package io.webhookingest.store;

/**
 * Fired after a commit that created events waiting to be published, so the relay can publish them at once instead of
 * on its next poll.
 *
 * @param count how many pending events the commit created
 */
public record EventsCommitted(int count) {
}
