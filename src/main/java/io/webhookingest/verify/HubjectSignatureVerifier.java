package io.webhookingest.verify;

import java.util.List;
import java.util.Optional;

import io.webhookingest.webhook.WebhookRequest;

/**
 * Hubject Plug&amp;Charge: {@code X-Hubject-Signature: sha256=<hex>}, the lowercase hex HMAC-SHA256 of the raw body
 * keyed with the endpoint secret.
 */
public final class HubjectSignatureVerifier implements SignatureVerifier {

    public static final String SIGNATURE_HEADER = "X-Hubject-Signature";
    static final String PREFIX = "sha256=";

    private final HmacKeys keys;

    public HubjectSignatureVerifier(List<String> secrets) {
        this.keys = HmacKeys.ofSecrets("HmacSHA256", secrets);
    }

    @Override
    public Verdict verify(WebhookRequest request) {
        Optional<String> header = request.header(SIGNATURE_HEADER);
        if (header.isEmpty()) {
            return Verdict.rejected(Rejection.MISSING_SIGNATURE, "The " + SIGNATURE_HEADER + " header is missing");
        }
        String value = header.get().trim();
        if (!value.startsWith(PREFIX)) {
            return Verdict.rejected(Rejection.UNSUPPORTED_SCHEME,
                    SIGNATURE_HEADER + " must start with '" + PREFIX + "'");
        }
        Optional<byte[]> signature = Encodings.hex(value.substring(PREFIX.length()));
        if (signature.isEmpty()) {
            return Verdict.rejected(Rejection.MALFORMED_SIGNATURE, SIGNATURE_HEADER + " does not carry a hex digest");
        }
        return keys.anyMatches(signature.get(), request.body())
                ? Verdict.valid()
                : Verdict.rejected(Rejection.SIGNATURE_MISMATCH, "The signature does not match the body");
    }
}
