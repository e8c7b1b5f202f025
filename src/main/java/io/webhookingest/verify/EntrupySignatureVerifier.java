package io.webhookingest.verify;

import java.util.List;
import java.util.Optional;

import io.webhookingest.webhook.WebhookRequest;

/**
 * Entrupy: {@code Entrupy-Signature: SHA256:<base64>}, the base64 HMAC-SHA256 of the raw body keyed with the secret
 * chosen when creating the webhook. Entrupy names the hash function in the header; only {@code SHA256} exists.
 */
public final class EntrupySignatureVerifier implements SignatureVerifier {

    public static final String SIGNATURE_HEADER = "Entrupy-Signature";
    static final String HASH_FUNCTION = "SHA256";

    private final HmacKeys keys;

    public EntrupySignatureVerifier(List<String> secrets) {
        this.keys = HmacKeys.ofSecrets("HmacSHA256", secrets);
    }

    @Override
    public String expects() {
        return "Entrupy-Signature must be SHA256:<base64>, the HMAC-SHA256 of the body";
    }

    @Override
    public Verdict verify(WebhookRequest request) {
        Optional<String> header = request.header(SIGNATURE_HEADER);
        if (header.isEmpty()) {
            return PrefixedHexSignature.missing(SIGNATURE_HEADER);
        }
        String[] tokens = header.get().trim().split(":", -1);
        if (tokens.length != 2) {
            return Verdict.rejected(Rejection.MALFORMED_SIGNATURE,
                    SIGNATURE_HEADER + " must have the form SHA256:<base64 digest>");
        }
        if (!tokens[0].equals(HASH_FUNCTION)) {
            return Verdict.rejected(Rejection.UNSUPPORTED_SCHEME,
                    SIGNATURE_HEADER + " names hash function " + Verdict.quote(tokens[0]) + "; only SHA256 is used");
        }
        Optional<byte[]> signature = Encodings.base64(tokens[1]);
        if (signature.isEmpty()) {
            return Verdict.rejected(Rejection.MALFORMED_SIGNATURE, SIGNATURE_HEADER + " does not carry base64");
        }
        return Verdict.signedWith(keys.matching(signature.get(), request.body()), Rejection.SIGNATURE_MISMATCH, "The signature does not match the body");
    }
}
