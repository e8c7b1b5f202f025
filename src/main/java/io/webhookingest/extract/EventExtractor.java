package io.webhookingest.extract;

import java.util.List;

import io.webhookingest.webhook.WebhookRequest;

/**
 * Finds the events in a verified delivery: each one's identity (what deduplicates it), type and subject (the Kafka
 * key). Implementations are pure and return failures as values.
 */
@FunctionalInterface
public interface EventExtractor {

    Extraction extract(WebhookRequest request);

    /** The request headers an event's identity may be read from, rather than from the signed body. */
    default List<String> identityHeaders() {
        return List.of();
    }
}
