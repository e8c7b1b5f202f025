package io.webhookingest.ingest;

import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import io.vertx.core.MultiMap;
import io.webhookingest.config.IngestConfig;

/**
 * Turns request headers into the JSON object stored with an event: lower-case names, each with its values in the
 * order received. Credential headers a sender or a proxy in front might add are left out: {@link #ALWAYS_REDACTED},
 * plus any configured in {@code ingest.redacted-headers}, which can add to the list but never shorten it.
 */
@ApplicationScoped
public class HeaderCapture {

    /** Headers that carry credentials; never stored, whatever the configuration says. */
    public static final Set<String> ALWAYS_REDACTED = Set.of("authorization", "proxy-authorization", "cookie",
            "x-api-key", "x-auth-token", "api-key", "x-amz-security-token", "x-access-token", "x-csrf-token");

    private static final JsonFactory JSON = new JsonFactory();

    private final Set<String> redacted;

    HeaderCapture(IngestConfig config) {
        this.redacted = Stream.concat(ALWAYS_REDACTED.stream(), config.redactedHeaders().orElse(List.of()).stream())
                .map(h -> h.trim().toLowerCase(Locale.ROOT)).filter(h -> !h.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    public String toJson(MultiMap headers) {
        Map<String, List<String>> grouped = new LinkedHashMap<>();
        for (Map.Entry<String, String> header : headers) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (!redacted.contains(name)) {
                grouped.computeIfAbsent(name, n -> new ArrayList<>(1)).add(header.getValue());
            }
        }
        StringWriter out = new StringWriter(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            for (Map.Entry<String, List<String>> header : grouped.entrySet()) {
                json.writeArrayFieldStart(header.getKey());
                for (String value : header.getValue()) {
                    json.writeString(value);
                }
                json.writeEndArray();
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("writing to a StringWriter cannot fail", e);
        }
        return out.toString();
    }
}
