package io.webhookingest.console;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.webhookingest.admin.AdminService;
import io.webhookingest.admin.EventDetail;
import io.webhookingest.admin.EventEntity;
import io.webhookingest.admin.HistoryEntry;
import io.webhookingest.relay.CloudEventRecord;
import io.webhookingest.relay.PendingEvent;
import io.webhookingest.source.SourceRegistry;

/**
 * An event as the console shows it: the headers as stored, the body in the most readable form it has, and the Kafka
 * record exactly as the relay builds it from the stored event (topic, key, every header, value).
 */
@ApplicationScoped
public class ConsoleEvents {

    /** Beyond this much, a body is cut on the page. */
    static final int SHOWN_BYTES = 256 * 1024;
    static final Set<String> REPLAYABLE = Set.of("published", "failed");
    static final Set<String> UNPUBLISHED = Set.of("quarantined", "released", "recorded");

    private final SourceRegistry sources;
    private final ObjectMapper mapper;

    ConsoleEvents(SourceRegistry sources, ObjectMapper mapper) {
        this.sources = sources;
        this.mapper = mapper;
    }

    ConsoleViews.Event view(AdminService.Described described) {
        EventEntity event = described.event();
        EventDetail detail = described.detail();
        List<ConsoleViews.Header> headers = new ArrayList<>();
        if (detail.headers() != null) {
            detail.headers().fields().forEachRemaining(field -> headers.add(new ConsoleViews.Header(field.getKey(),
                    headerValue(field.getValue()))));
        }
        String body;
        String form;
        String json = prettyJson(event.body);
        if (json != null) {
            body = json;
            form = "JSON";
        } else if (detail.body() != null) {
            body = detail.body();
            form = "text";
        } else {
            body = HexFormat.ofDelimiter(" ").formatHex(event.body, 0, Math.min(event.body.length, SHOWN_BYTES / 3));
            form = "hex";
        }
        if (body.length() > SHOWN_BYTES) {
            body = body.substring(0, SHOWN_BYTES) + "\n… (cut here; GET /admin/events/" + event.id + "/body has all of it)";
        }
        String topic = "";
        String key = "";
        String value = "";
        List<ConsoleViews.Header> recordHeaders = new ArrayList<>();
        if (!UNPUBLISHED.contains(event.status)) {
            // The stored value is only kept where it differs from the body, as the relay reads it.
            byte[] recordValue = event.value != null ? event.value : event.body;
            ProducerRecord<String, byte[]> record = CloudEventRecord.of(new PendingEvent(0, event.id, event.source,
                    event.type, event.subject, event.topic, event.receivedAt, recordValue, event.traceParent),
                    sources.contentMode(event.source));
            topic = record.topic();
            key = record.key() == null ? "" : record.key();
            for (Header header : record.headers()) {
                recordHeaders.add(new ConsoleViews.Header(header.key(), new String(header.value(),
                        StandardCharsets.UTF_8)));
            }
            String prettyValue = prettyJson(record.value());
            value = prettyValue != null ? prettyValue : new String(record.value(), StandardCharsets.UTF_8);
        }
        return new ConsoleViews.Event(event.id.toString(), event.source, event.identity, text(event.type),
                text(event.subject), event.status, event.receivedAt.toString(), text(event.reason), text(event.url),
                headers, body, form, detail.bodyBase64().length() > SHOWN_BYTES ? "" : detail.bodyBase64(),
                event.body.length, topic, key, recordHeaders, value, REPLAYABLE.contains(event.status),
                "quarantined".equals(event.status), detail.history().stream().map(ConsoleEvents::step).toList());
    }

    private static ConsoleViews.Step step(HistoryEntry entry) {
        String what = switch (entry.what()) {
            case "queued" -> "waiting for the relay";
            case "failed" -> "refused by the broker";
            default -> entry.what();
        };
        return new ConsoleViews.Step(entry.at() == null ? "" : entry.at().toString(), entry.what(), what,
                text(entry.detail()));
    }

    /** A header as stored: its values, usually one, in the order they came. */
    private static String headerValue(JsonNode value) {
        if (!value.isArray()) {
            return value.isTextual() ? value.asText() : value.toString();
        }
        List<String> values = new ArrayList<>();
        value.forEach(element -> values.add(element.isTextual() ? element.asText() : element.toString()));
        return String.join(", ", values);
    }

    private String prettyJson(byte[] bytes) {
        try {
            JsonNode node = mapper.readTree(bytes);
            return node == null || node.isMissingNode() ? null : mapper.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(node);
        } catch (IOException e) {
            return null;
        }
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }
}
