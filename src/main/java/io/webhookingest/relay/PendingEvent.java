package io.webhookingest.relay;

import java.time.Instant;
import java.util.UUID;

/**
 * A committed event the broker has not acknowledged yet.
 *
 * @param seq         its place in the outbox queue, assigned by the database at commit: the publishing order
 * @param id          the event id, published as {@code ce_id}
 * @param source      the source name
 * @param type        the event type
 * @param subject     the subject, the Kafka key
 * @param topic       the topic
 * @param receivedAt  when the delivery arrived, published as {@code ce_time}
 * @param value       the record value
 * @param traceParent the W3C traceparent of the delivering request, else null
 */
public record PendingEvent(long seq, UUID id, String source, String type, String subject, String topic,
        Instant receivedAt, byte[] value, String traceParent) {
}
