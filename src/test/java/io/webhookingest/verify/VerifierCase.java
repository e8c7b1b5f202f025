package io.webhookingest.verify;

import io.webhookingest.webhook.WebhookRequest;

/**
 * One row of a verifier's table: a request and the rejection it must get, or null when it must be accepted.
 *
 * @param name      what the row is about
 * @param request   the delivery
 * @param rejection the expected rejection; null for valid
 */
record VerifierCase(String name, WebhookRequest request, Rejection rejection) {

    static VerifierCase valid(String name, WebhookRequest request) {
        return new VerifierCase(name, request, null);
    }

    static VerifierCase rejected(String name, WebhookRequest request, Rejection rejection) {
        return new VerifierCase(name, request, rejection);
    }

    @Override
    public String toString() {
        return name;
    }
}
