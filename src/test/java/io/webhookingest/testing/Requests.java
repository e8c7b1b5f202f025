package io.webhookingest.testing;

import io.vertx.core.MultiMap;
import io.webhookingest.webhook.WebhookRequest;

/** Builds {@link WebhookRequest}s for verifier and extractor tests. */
public final class Requests {

    private Requests() {
    }

    /** A request with this body and alternating header names and values. */
    public static WebhookRequest request(byte[] body, String... headerNamesAndValues) {
        return requestTo("https://ingest.example.com/webhooks/test", "", body, headerNamesAndValues);
    }

    /** A request sent to {@code url}, with {@code pathTail} after {@code /webhooks/{source}}. */
    public static WebhookRequest requestTo(String url, String pathTail, byte[] body, String... headerNamesAndValues) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        for (int i = 0; i < headerNamesAndValues.length; i += 2) {
            headers.add(headerNamesAndValues[i], headerNamesAndValues[i + 1]);
        }
        int question = url.indexOf('?');
        return new WebhookRequest(body, headers, pathTail, question < 0 ? "" : url.substring(question + 1), url);
    }
}
