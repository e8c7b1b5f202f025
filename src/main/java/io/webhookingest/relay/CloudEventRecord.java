package io.webhookingest.relay;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
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

    /** The first and the last second {@link #time} writes by hand: the years with four digits. */
    private static final long FIRST_FOUR_DIGIT_SECOND = -62_167_219_200L;
    private static final long LAST_FOUR_DIGIT_SECOND = 253_402_300_799L;
    private static final int SECONDS_PER_DAY = 86_400;

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
        add(headers, TIME, time(event.receivedAt()));
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
            json.writeStringField("time", time(event.receivedAt()));
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

    /**
     * The instant as {@link DateTimeFormatter#ISO_INSTANT} writes it (a fraction of three, six or nine digits, as many
     * as it needs), written by hand for the years of four digits: the formatter's general machinery was about 1 % of
     * the application's CPU under load, one call per record.
     */
    static String time(Instant instant) {
        long seconds = instant.getEpochSecond();
        if (seconds < FIRST_FOUR_DIGIT_SECOND || seconds > LAST_FOUR_DIGIT_SECOND) {
            return DateTimeFormatter.ISO_INSTANT.format(instant);
        }
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, SECONDS_PER_DAY));
        int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
        int nanos = instant.getNano();
        int digits = nanos == 0 ? 0 : nanos % 1_000_000 == 0 ? 3 : nanos % 1_000 == 0 ? 6 : 9;
        char[] text = new char[20 + (digits == 0 ? 0 : digits + 1)];
        put(text, 0, date.getYear(), 4);
        text[4] = '-';
        put(text, 5, date.getMonthValue(), 2);
        text[7] = '-';
        put(text, 8, date.getDayOfMonth(), 2);
        text[10] = 'T';
        put(text, 11, secondOfDay / 3600, 2);
        text[13] = ':';
        put(text, 14, secondOfDay / 60 % 60, 2);
        text[16] = ':';
        put(text, 17, secondOfDay % 60, 2);
        if (digits > 0) {
            text[19] = '.';
            put(text, 20, digits == 3 ? nanos / 1_000_000 : digits == 6 ? nanos / 1_000 : nanos, digits);
        }
        text[text.length - 1] = 'Z';
        return new String(text);
    }

    /** Writes the value's last {@code width} decimal digits at {@code at}, padded with zeros. */
    private static void put(char[] text, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            text[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    private static void add(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
