package io.webhookingest.relay;

import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import io.webhookingest.source.Source;

/**
 * Maps a stored event to a Kafka record in CloudEvents 1.0 binary content mode: the attributes travel as
 * {@code ce_*} headers, the value is the provider's JSON, and the key is the subject so that each subject's events
 * share a partition and keep their order.
 */
public final class CloudEventRecord {

    public static final String SPEC_VERSION = "ce_specversion";
    public static final String ID = "ce_id";
    public static final String SOURCE = "ce_source";
    public static final String TYPE = "ce_type";
    public static final String TIME = "ce_time";
    public static final String SUBJECT = "ce_subject";
    public static final String CONTENT_TYPE = "content-type";
    public static final String APPLICATION_JSON = "application/json";

    private CloudEventRecord() {
    }

    public static ProducerRecord<String, byte[]> of(PendingEvent event) {
        RecordHeaders headers = new RecordHeaders();
        add(headers, SPEC_VERSION, "1.0");
        add(headers, ID, event.id().toString());
        add(headers, SOURCE, Source.cloudEventSource(event.source()));
        add(headers, TYPE, event.type());
        add(headers, TIME, DateTimeFormatter.ISO_INSTANT.format(event.receivedAt()));
        add(headers, SUBJECT, event.subject());
        add(headers, CONTENT_TYPE, APPLICATION_JSON);
        return new ProducerRecord<>(event.topic(), null, event.subject(), event.value(), headers);
    }

    private static void add(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
