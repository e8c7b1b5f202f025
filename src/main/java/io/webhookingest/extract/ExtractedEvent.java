package io.webhookingest.extract;

import java.util.Objects;

/**
 * One event found in a delivery.
 *
 * @param identity the provider's identity for the event; two deliveries with the same identity are one event
 * @param type     the provider's event type, published as {@code ce_type}
 * @param subject  the entity the event is about, published as {@code ce_subject} and used as the Kafka key
 * @param value    the record value when it is not the raw body (a delivery rolling up several events); else null
 * @param publish  false for deliveries that are recorded but are not business events (a verification ping)
 */
public record ExtractedEvent(String identity, String type, String subject, byte[] value, boolean publish) {

    public ExtractedEvent {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(subject, "subject");
    }

    /** An event whose record value is the delivery's raw body. */
    public static ExtractedEvent of(String identity, String type, String subject) {
        return new ExtractedEvent(identity, type, subject, null, true);
    }
}
