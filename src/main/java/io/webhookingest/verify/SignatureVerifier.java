package io.webhookingest.verify;

import io.webhookingest.webhook.WebhookRequest;

/**
 * Checks one delivery against one provider's signature scheme. Implementations are pure: the secrets and the clock
 * come in through the constructor, the raw request comes in here, and no I/O happens. Expected failures are returned
 * as a {@link Verdict}, never thrown.
 */
@FunctionalInterface
public interface SignatureVerifier {

    Verdict verify(WebhookRequest request);

    /**
     * True when every valid signature covers this request header, so that its value cannot be changed without the
     * secret. A value read from a header no signature covers can be replaced by anyone who captured one delivery.
     */
    default boolean signsHeader(String name) {
        return false;
    }

    /**
     * What a valid delivery carries, in plain words for an operator looking at a rejection: the headers and their
     * form, and what is signed. Never a secret or an expected MAC.
     */
    default String expects() {
        return "a signature made with one of the source's secrets";
    }
}
