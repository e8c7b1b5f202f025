package io.webhookingest.webhook;

import java.util.Objects;
import java.util.Optional;

import io.vertx.core.MultiMap;

/**
 * One delivery exactly as the sender made it: the raw body bytes, the headers (case-insensitive), the path after
 * {@code /webhooks/{source}} (empty when there is none) and the URL the sender used, query included.
 */
public record WebhookRequest(byte[] body, MultiMap headers, String pathTail, String url) {

    public WebhookRequest {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(pathTail, "pathTail");
        Objects.requireNonNull(url, "url");
    }

    /** The first value of a header, if the request carries it. */
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name));
    }
}
