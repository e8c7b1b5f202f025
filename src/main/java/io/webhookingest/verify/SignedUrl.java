package io.webhookingest.verify;

import java.util.Optional;

import io.webhookingest.webhook.WebhookRequest;

/**
 * The URL a sender signed. Behind a proxy or ingress the URL the sender used is not the one this service sees, so a
 * source can name its public base URL (the external address of {@code /webhooks/<name>}); the path tail and query
 * are appended to it. Without one, the URL is the request's own, which honours forwarded headers when Quarkus is
 * configured to trust them.
 */
public final class SignedUrl {

    private SignedUrl() {
    }

    public static String of(WebhookRequest request, Optional<String> publicBaseUrl) {
        if (publicBaseUrl.isEmpty()) {
            return request.url();
        }
        String query = request.query().isEmpty() ? "" : "?" + request.query();
        return publicBaseUrl.get() + request.pathTail() + query;
    }
}
