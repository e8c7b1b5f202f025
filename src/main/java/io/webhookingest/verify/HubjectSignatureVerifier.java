package io.webhookingest.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.webhookingest.webhook.WebhookRequest;

/**
 * Hubject Plug&amp;Charge: the lowercase hex HMAC-SHA256 of the raw body, keyed with the endpoint secret. Hubject's
 * documents name three headers, and all are accepted: {@code X-Hubject-Signature: sha256=<hex>} (the example
 * request), {@code X-Operator-Signature} ({@code sha256=} prefix in the Java sample, bare hex in the Go sample) and
 * {@code payload-signature} (bare hex, the payload specification). A delivery is valid when any header it carries
 * verifies. The MAC over the body is computed once per secret, whatever headers the sender adds, and compared with
 * every signature they carry.
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
        this(HmacKeys.ofSecrets("HmacSHA256", secrets));
    }

    HubjectSignatureVerifier(HmacKeys keys) {
        this.keys = keys;
    }

    @Override
    public String expects() {
        return "X-Hubject-Signature, X-Operator-Signature or payload-signature must be sha256=<64 hex> (or the bare"
                + " 64 hex), the HMAC-SHA256 of the body";
    }

    @Override
    public Verdict verify(WebhookRequest request) {
        Verdict firstRejection = null;
        List<byte[]> candidates = new ArrayList<>(FORMS.size());
        for (PrefixedHexSignature form : FORMS) {
            Optional<PrefixedHexSignature.Parsed> parsed = form.parse(request);
            if (parsed.isEmpty()) {
                continue;
            }
            if (parsed.get().rejection() != null) {
                firstRejection = firstRejection != null ? firstRejection : parsed.get().rejection();
            } else {
                candidates.add(parsed.get().signature());
                firstRejection = firstRejection != null ? firstRejection : form.mismatch();
            }
        }
        int secret = candidates.isEmpty() ? HmacKeys.NO_MATCH : keys.matching(candidates, request.body());
        if (secret != HmacKeys.NO_MATCH) {
            return Verdict.valid(secret);
        }
        return firstRejection != null ? firstRejection : Verdict.rejected(Rejection.MISSING_SIGNATURE,
                "None of " + HUBJECT_SIGNATURE + ", " + OPERATOR_SIGNATURE + " or " + PAYLOAD_SIGNATURE + " is present");
    }
}
