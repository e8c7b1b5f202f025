package io.webhookingest.relay;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;

import io.webhookingest.config.ContentMode;
import io.webhookingest.source.Source;

/**
 * Maps a stored event to a Kafka record of the CloudEvents 1.0 Kafka binding. In binary content mode the attributes
 * travel as {@code ce_*} headers and the value is the provider's JSON; in structured mode the value is the whole event
 * as {@code application/cloudevents+json}, the provider's JSON as its {@code data} (or {@code data_base64} when it is
 * not JSON). Either way the key is the subject, so that each subject's events share a partition and keep their order.
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
    public static final String STRUCTURED_JSON = "application/cloudevents+json; charset=UTF-8";

    private static final JsonFactory JSON = new JsonFactory();

    private CloudEventRecord() {
    }

    public static ProducerRecord<String, byte[]> of(PendingEvent event, ContentMode mode) {
        return mode == ContentMode.STRUCTURED ? structured(event) : binary(event);
    }

    private static ProducerRecord<String, byte[]> binary(PendingEvent event) {
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

    private static ProducerRecord<String, byte[]> structured(PendingEvent event) {
        ByteArrayOutputStream value = new ByteArrayOutputStream(event.value().length + 320);
        try (JsonGenerator json = JSON.createGenerator(value)) {
            json.writeStartObject();
            json.writeStringField("specversion", "1.0");
            json.writeStringField("id", event.id().toString());
            json.writeStringField("source", Source.cloudEventSource(event.source()));
            json.writeStringField("type", event.type());
            json.writeStringField("subject", event.subject());
            json.writeStringField("time", DateTimeFormatter.ISO_INSTANT.format(event.receivedAt()));
            json.writeStringField("datacontenttype", APPLICATION_JSON);
            if (isJson(event.value())) {
                json.writeFieldName("data");
                json.writeRawValue(new String(event.value(), StandardCharsets.UTF_8));
            } else {
                json.writeBinaryField("data_base64", event.value());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RecordHeaders headers = new RecordHeaders();
        add(headers, CONTENT_TYPE, STRUCTURED_JSON);
        return new ProducerRecord<>(event.topic(), null, event.subject(), value.toByteArray(), headers);
    }

    /** Whether the bytes are one whole JSON value, which can then be embedded as it is. */
    private static boolean isJson(byte[] value) {
        try (JsonParser parser = JSON.createParser(value)) {
            if (parser.nextToken() == null) {
                return false;
            }
            parser.skipChildren();
            return parser.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    private static void add(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
