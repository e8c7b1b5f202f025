package io.webhookingest.source;

import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import io.webhookingest.config.ContentMode;
import io.webhookingest.extract.EventExtractor;
import io.webhookingest.extract.ExtractedEvent;
import io.webhookingest.extract.FieldSelector.BodyDigest;
import io.webhookingest.verify.SignatureVerifier;

/**
 * A configured webhook source, ready to take deliveries.
 *
 * @param name            the path segment in {@code /webhooks/{name}}
 * @param provider        the provider it speaks
 * @param verifier        checks each delivery's signature
 * @param extractor       finds the events in a verified delivery
 * @param topic           the Kafka topic its events are published to unless a route says otherwise
 * @param routes          the topic by event type
 * @param contentMode     how its events are written to Kafka
 * @param maxBodySize     the largest body it accepts, in bytes
 * @param dedupsByContent true when the identity is read from a header no signature covers (GitHub's
 *                        {@code X-GitHub-Delivery}): anyone holding one captured delivery could then resend its body
 *                        and signature under a fresh identity, so each event is also deduplicated on the digest of
 *                        its content
 * @param fingerprints    the fingerprints of the secrets its verifier was given, in the same order, so that the
 *                        secret a {@link io.webhookingest.verify.Verdict} names can be told without revealing it
 * @param rehearsal       true for the source an instance sends its own deliveries to while it warms up: they go the
 *                        whole way, but none it accepts is stored, counted or logged
 */
public record Source(String name, WebhookProvider provider, SignatureVerifier verifier, EventExtractor extractor,
        String topic, Routes routes, ContentMode contentMode, long maxBodySize, boolean dedupsByContent,
        List<String> fingerprints, boolean rehearsal) {

    public Source {
        fingerprints = List.copyOf(fingerprints);
    }

    /** This source, for rehearsed deliveries only. */
    Source asRehearsal() {
        return new Source(name, provider, verifier, extractor, topic, routes, contentMode, maxBodySize, dedupsByContent,
                fingerprints, true);
    }

    /**
     * The topic an event is published to; empty when it is only recorded, because its provider never publishes such
     * events or a route says {@code record-only}.
     */
    public Optional<String> topicOf(ExtractedEvent event) {
        return event.publish() ? routes.topicFor(event.type()) : Optional.empty();
    }

    /** The CloudEvents {@code source} attribute of this source's events: a URI reference naming the endpoint. */
    public String cloudEventSource() {
        return cloudEventSource(name);
    }

    public static String cloudEventSource(String sourceName) {
        return "/webhooks/" + sourceName;
    }

    /**
     * The second deduplication key of an event whose identity is unsigned: the SHA-256 of its record value (the
     * body, or its own part of a delivery that rolls up several); null for sources whose identity is signed.
     */
    public String contentKey(byte[] body, byte[] value) {
        return dedupsByContent ? HexFormat.of().formatHex(BodyDigest.digest(value != null ? value : body)) : null;
    }
}
