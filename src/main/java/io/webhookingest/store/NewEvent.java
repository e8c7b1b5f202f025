package io.webhookingest.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * An event about to be stored.
 *
 * @param id          the event id, also the published {@code ce_id}
 * @param source      the source name
 * @param identity    the provider's identity; unique per source
 * @param type        the event type
 * @param subject     the entity the event is about; the Kafka key
 * @param status      {@link EventStatus#PENDING}, or {@link EventStatus#RECORDED} for events never published
 * @param topic       the topic it is published to
 * @param receivedAt  when the delivery arrived, to the microsecond the event table keeps
 * @param body        the raw request body
 * @param value       the record value when it differs from the body, else null
 * @param headersJson the stored request headers as a JSON object
 * @param reason      why a quarantined delivery could not be read, else null
 * @param url         the URL a quarantined delivery arrived at, so that it can be read again on release, else null
 * @param traceParent the W3C traceparent of the delivering request, else null
 * @param contentKey  a second key unique per source, the hex digest of the event's content, for identities no
 *                    signature covers (see {@code Source#dedupsByContent}); else null
 * @param nonce       a third key unique per source, the nonce the sender signed, so that a replay is refused; else
 *                    null
 */
public record NewEvent(UUID id, String source, String identity, String type, String subject, EventStatus status,
        String topic, Instant receivedAt, byte[] body, byte[] value, String headersJson, String reason, String url,
        String traceParent, String contentKey, String nonce) {

    public NewEvent {
        receivedAt = receivedAt.truncatedTo(ChronoUnit.MICROS);
    }

    /** An event read from a delivery. */
    public static NewEvent of(UUID id, String source, String identity, String type, String subject,
            EventStatus status, String topic, Instant receivedAt, byte[] body, byte[] value, String headersJson,
            String traceParent) {
        return new NewEvent(id, source, identity, type, subject, status, topic, receivedAt, body, value, headersJson,
                null, null, traceParent, null, null);
    }

    /** The same event, also deduplicated on this content key and refused as a replay of this nonce (either null). */
    public NewEvent withKeys(String contentKey, String nonce) {
        return new NewEvent(id, source, identity, type, subject, status, topic, receivedAt, body, value, headersJson,
                reason, url, traceParent, contentKey, nonce);
    }

    /** A signed delivery that could not be read, kept whole. */
    public static NewEvent quarantined(UUID id, String source, String identity, String topic, Instant receivedAt,
            byte[] body, String headersJson, String reason, String url) {
        return new NewEvent(id, source, identity, null, null, EventStatus.QUARANTINED, topic, receivedAt, body, null,
                headersJson, reason, url, null, null, null);
    }
}
