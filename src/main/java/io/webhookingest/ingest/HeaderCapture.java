package io.webhookingest.ingest;

import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import io.vertx.core.MultiMap;
import io.webhookingest.config.IngestConfig;

/**
 * What is kept of a request besides its body: the headers as a JSON object (lower-case names, each with its values in
 * the order received) and, for a quarantined delivery, its URL. Credentials a sender or a proxy in front might add
 * are left out: the headers in {@link #ALWAYS_REDACTED}, every header whose name says it carries a credential
 * ({@link #CREDENTIAL_NAME}: GitLab's {@code X-Gitlab-Token}, Azure's {@code Ocp-Apim-Subscription-Key}, …), any
 * configured in {@code ingest.redacted-headers}, which adds to these and never shortens them, and the values of query
 * parameters named like a credential ({@code ?code=}, {@code ?sig=}, {@code ?token=}).
 */
@Singleton
public class HeaderCapture {

    /** Headers that carry credentials; never stored, whatever the configuration says. */
    public static final Set<String> ALWAYS_REDACTED = Set.of("authorization", "proxy-authorization", "cookie",
            "x-api-key", "x-auth-token", "api-key", "x-amz-security-token", "x-access-token", "x-csrf-token");
    /** Names that say a header or query parameter carries a credential. */
    static final Pattern CREDENTIAL_NAME = Pattern.compile(
            "(?i).*(token|secret|passw|credential|session|cookie|authoriz|api-?key|access-?key|subscription-key"
                    + "|functions-key|private-key).*");
    static final Pattern CREDENTIAL_PARAMETER = Pattern.compile("(?i)code|sig|key|auth|" + CREDENTIAL_NAME.pattern()
            .substring("(?i)".length()));
    static final String REDACTED = "REDACTED";

    /**
     * Header names whose redaction was decided once and remembered: the few a sender's deliveries carry, each seen on
     * every delivery, so the pattern is not matched per header per delivery. Names are the sender's to choose, so
     * the memory is bounded; names past it are decided afresh each time.
     */
    static final int REMEMBERED_NAMES = 1024;

    private static final JsonFactory JSON = new JsonFactory();

    private final Set<String> redacted;
    private final Map<String, Boolean> kept = new ConcurrentHashMap<>();

    HeaderCapture(IngestConfig config) {
        this.redacted = Stream.concat(ALWAYS_REDACTED.stream(), config.redactedHeaders().orElse(List.of()).stream())
                .map(h -> h.trim().toLowerCase(Locale.ROOT)).filter(h -> !h.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    public String toJson(MultiMap headers) {
        Map<String, List<String>> grouped = new LinkedHashMap<>();
        for (Map.Entry<String, String> header : headers) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (isKept(name)) {
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

    private boolean isKept(String name) {
        Boolean known = kept.get(name);
        if (known != null) {
            return known;
        }
        boolean decided = !redacted.contains(name) && !CREDENTIAL_NAME.matcher(name).matches();
        if (kept.size() < REMEMBERED_NAMES) {
            kept.put(name, decided);
        }
        return decided;
    }

    /** How many names' decisions are remembered. */
    int rememberedNames() {
        return kept.size();
    }

    /** The URL with the values of credential-like query parameters replaced, so that none is stored. */
    public String url(String url) {
        int query = url.indexOf('?');
        if (query < 0) {
            return url;
        }
        StringBuilder kept = new StringBuilder(url.length()).append(url, 0, query + 1);
        String[] parameters = url.substring(query + 1).split("&", -1);
        for (int i = 0; i < parameters.length; i++) {
            String parameter = parameters[i];
            int equals = parameter.indexOf('=');
            String name = equals < 0 ? parameter : parameter.substring(0, equals);
            kept.append(i == 0 ? "" : "&").append(equals >= 0 && CREDENTIAL_PARAMETER.matcher(name).matches()
                    ? name + "=" + REDACTED : parameter);
        }
        return kept.toString();
    }
}
