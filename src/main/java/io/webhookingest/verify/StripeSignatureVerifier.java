package io.webhookingest.verify;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.webhookingest.webhook.WebhookRequest;

/**
 * Stripe: {@code Stripe-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>…]}, each v1 the HMAC-SHA256 of
 * {@code <t>.<body>} keyed with the endpoint's signing secret used as-is ({@code whsec_…} included). Several v1
 * entries appear while Stripe rolls a secret; any may match. {@code t} must be inside the window.
 */
public final class StripeSignatureVerifier implements SignatureVerifier {

    public static final String SIGNATURE_HEADER = "Stripe-Signature";

    private final HmacKeys keys;
    private final TimestampWindow window;

    public StripeSignatureVerifier(List<String> secrets, TimestampWindow window) {
        this.keys = HmacKeys.ofSecrets("HmacSHA256", secrets);
        this.window = window;
    }

    @Override
    public String expects() {
        return "Stripe-Signature must be t=<Unix seconds>,v1=<64 hex>, the HMAC-SHA256 of <t>.<body>, with t inside the"
                + " window";
    }

    @Override
    public Verdict verify(WebhookRequest request) {
        Optional<String> header = request.header(SIGNATURE_HEADER);
        if (header.isEmpty()) {
            return PrefixedHexSignature.missing(SIGNATURE_HEADER);
        }
        Optional<HeaderParameters> parameters = HeaderParameters.parse(header.get(), ',');
        if (parameters.isEmpty()) {
            return Verdict.rejected(Rejection.MALFORMED_SIGNATURE,
                    SIGNATURE_HEADER + " must be comma-separated key=value pairs");
        }
        List<String> timestamps = parameters.get().all("t");
        if (timestamps.size() > 1) {
            return Verdict.rejected(Rejection.MALFORMED_SIGNATURE, SIGNATURE_HEADER + " repeats t=");
        }
        String timestamp = timestamps.isEmpty() ? null : timestamps.get(0);
        Optional<Verdict> outOfWindow = window.check(SIGNATURE_HEADER + " t", timestamp, TimeUnit.SECONDS);
        if (outOfWindow.isPresent()) {
            return outOfWindow.get();
        }
        List<String> signatures = parameters.get().all("v1");
        if (signatures.isEmpty()) {
            return Verdict.rejected(Rejection.UNSUPPORTED_SCHEME, SIGNATURE_HEADER + " has no v1 signature");
        }
        List<byte[]> candidates = new ArrayList<>();
        for (String signature : signatures) {
            Optional<byte[]> decoded = Encodings.hex(signature);
            if (decoded.isEmpty()) {
                return Verdict.rejected(Rejection.MALFORMED_SIGNATURE, SIGNATURE_HEADER + " has a v1 that is not hex");
            }
            candidates.add(decoded.get());
        }
        byte[] prefix = (timestamp + ".").getBytes(StandardCharsets.UTF_8);
        return Verdict.signedWith(keys.matching(candidates, prefix, request.body()), Rejection.SIGNATURE_MISMATCH, "No v1 signature matches the payload");
    }
}
