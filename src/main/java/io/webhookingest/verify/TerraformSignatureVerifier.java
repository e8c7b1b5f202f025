package io.webhookingest.verify;

import java.util.List;

import io.webhookingest.webhook.WebhookRequest;

/**
 * HCP Terraform / Terraform Enterprise: {@code X-TFE-Notification-Signature}, the lowercase hex HMAC-SHA512 of the
 * raw body keyed with the notification token. Terraform sends the header empty when the notification configuration
 * has no token; since this source has one, an empty header is rejected. The scheme has no timestamp, so it has no
 * replay window.
 */
public final class TerraformSignatureVerifier implements SignatureVerifier {

    public static final String SIGNATURE_HEADER = "X-TFE-Notification-Signature";

    private static final PrefixedHexSignature FORM = new PrefixedHexSignature(SIGNATURE_HEADER, "", false);

    private final HmacKeys keys;

    public TerraformSignatureVerifier(List<String> secrets) {
        this.keys = HmacKeys.ofSecrets("HmacSHA512", secrets);
    }

    @Override
    public String expects() {
        return "X-TFE-Notification-Signature must be <128 hex>, the HMAC-SHA512 of the body";
    }

    @Override
    public Verdict verify(WebhookRequest request) {
        return FORM.check(request, keys).orElseGet(() -> PrefixedHexSignature.missing(SIGNATURE_HEADER));
    }
}
