package io.webhookingest.verify;

import io.webhookingest.webhook.WebhookRequest;

/**
 * One row of a verifier's table: a request and the rejection it must get, or null when it must be accepted.
 *
 * @param name      what the row is about
 * @param request   the delivery
 * @param rejection the expected rejection; null for valid
 * @param secret    for a valid one, the index of the secret that must be reported as having signed it
 */
record VerifierCase(String name, WebhookRequest request, Rejection rejection, int secret) {

    static VerifierCase valid(String name, WebhookRequest request) {
        return new VerifierCase(name, request, null, 0);
    }

    /** Valid, signed with the verifier's secret at this index (a rotation in progress). */
    static VerifierCase validWith(String name, WebhookRequest request, int secret) {
        return new VerifierCase(name, request, null, secret);
    }

    static VerifierCase rejected(String name, WebhookRequest request, Rejection rejection) {
        return new VerifierCase(name, request, rejection, HmacKeys.NO_MATCH);
    }

    @Override
    public String toString() {
        return name;
    }
}
