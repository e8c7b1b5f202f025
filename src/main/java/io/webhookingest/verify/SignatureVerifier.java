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
}
