package io.webhookingest.verify;

import java.util.List;
import java.util.Optional;

import io.webhookingest.webhook.WebhookRequest;

/**
 * Hubject Plug&amp;Charge: the lowercase hex HMAC-SHA256 of the raw body, keyed with the endpoint secret. Hubject's
 * documents name three headers, and all are accepted: {@code X-Hubject-Signature: sha256=<hex>} (the example
 * request), {@code X-Operator-Signature} ({@code sha256=} prefix in the Java sample, bare hex in the Go sample) and
 * {@code payload-signature} (bare hex, the payload specification). A delivery is valid when any header it carries
 * verifies.
 */
public final class HubjectSignatureVerifier implements SignatureVerifier {

    public static final String HUBJECT_SIGNATURE = "X-Hubject-Signature";
    public static final String OPERATOR_SIGNATURE = "X-Operator-Signature";
    public static final String PAYLOAD_SIGNATURE = "payload-signature";

    private static final List<PrefixedHexSignature> FORMS = List.of(
            new PrefixedHexSignature(HUBJECT_SIGNATURE, "sha256=", false),
            new PrefixedHexSignature(OPERATOR_SIGNATURE, "sha256=", true),
            new PrefixedHexSignature(PAYLOAD_SIGNATURE, "sha256=", true));

    private final HmacKeys keys;

    public HubjectSignatureVerifier(List<String> secrets) {
        this.keys = HmacKeys.ofSecrets("HmacSHA256", secrets);
    }

    @Override
    public Verdict verify(WebhookRequest request) {
        Verdict firstRejection = null;
        for (PrefixedHexSignature form : FORMS) {
            Optional<Verdict> verdict = form.check(request, keys);
            if (verdict.isPresent()) {
                if (verdict.get().isValid()) {
                    return verdict.get();
                }
                if (firstRejection == null) {
                    firstRejection = verdict.get();
                }
            }
        }
        return firstRejection != null ? firstRejection : Verdict.rejected(Rejection.MISSING_SIGNATURE,
                "None of " + HUBJECT_SIGNATURE + ", " + OPERATOR_SIGNATURE + " or " + PAYLOAD_SIGNATURE + " is present");
    }
}
