package io.webhookingest.verify;

import java.util.List;

import io.webhookingest.webhook.WebhookRequest;

/**
 * GitHub: {@code X-Hub-Signature-256: sha256=<hex>}, the HMAC-SHA256 of the raw body keyed with the webhook secret.
 * The legacy SHA-1 {@code X-Hub-Signature} is not accepted.
 */
public final class GitHubSignatureVerifier implements SignatureVerifier {

    public static final String SIGNATURE_HEADER = "X-Hub-Signature-256";

    private static final PrefixedHexSignature FORM = new PrefixedHexSignature(SIGNATURE_HEADER, "sha256=", false);

    private final HmacKeys keys;

    public GitHubSignatureVerifier(List<String> secrets) {
        this.keys = HmacKeys.ofSecrets("HmacSHA256", secrets);
    }

    @Override
    public String expects() {
        return "X-Hub-Signature-256 must be sha256=<64 hex>, the HMAC-SHA256 of the body";
    }

    @Override
    public Verdict verify(WebhookRequest request) {
        return FORM.check(request, keys).orElseGet(() -> PrefixedHexSignature.missing(SIGNATURE_HEADER));
    }
}
