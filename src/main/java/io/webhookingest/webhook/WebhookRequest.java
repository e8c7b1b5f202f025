package io.webhookingest.webhook;

import java.util.Objects;
import java.util.Optional;

import io.vertx.core.MultiMap;

/**
 * One delivery exactly as the sender made it: the raw body bytes, the headers (case-insensitive), the raw path after
 * {@code /webhooks/{source}} (empty when there is none), the raw query (empty when there is none) and the absolute URL
 * the request arrived at, query included.
 */
public record WebhookRequest(byte[] body, MultiMap headers, String pathTail, String query, String url) {

    public WebhookRequest {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(pathTail, "pathTail");
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(url, "url");
    }

    /** The first value of a header, if the request carries it. */
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name));
    }
}
