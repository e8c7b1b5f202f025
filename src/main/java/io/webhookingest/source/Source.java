package io.webhookingest.source;

import io.webhookingest.extract.EventExtractor;
import io.webhookingest.verify.SignatureVerifier;

/**
 * A configured webhook source, ready to take deliveries.
 *
 * @param name      the path segment in {@code /webhooks/{name}}
 * @param provider  the provider it speaks
 * @param verifier  checks each delivery's signature
 * @param extractor finds the events in a verified delivery
 * @param topic     the Kafka topic its events are published to
 * @param maxBodySize the largest body it accepts, in bytes
 */
public record Source(String name, WebhookProvider provider, SignatureVerifier verifier, EventExtractor extractor,
        String topic, long maxBodySize) {

    /** The CloudEvents {@code source} attribute of this source's events: a URI reference naming the endpoint. */
    public String cloudEventSource() {
        return cloudEventSource(name);
    }

    public static String cloudEventSource(String sourceName) {
        return "/webhooks/" + sourceName;
    }
}
