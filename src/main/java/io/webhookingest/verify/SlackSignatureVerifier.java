package io.webhookingest.verify;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.webhookingest.webhook.WebhookRequest;

/**
 * Slack: {@code X-Slack-Signature: v0=<hex>}, the HMAC-SHA256 of {@code v0:<X-Slack-Request-Timestamp>:<body>} keyed
 * with the app's signing secret. The timestamp (Unix seconds) must be inside the window.
 */
public final class SlackSignatureVerifier implements SignatureVerifier {

    public static final String SIGNATURE_HEADER = "X-Slack-Signature";
    public static final String TIMESTAMP_HEADER = "X-Slack-Request-Timestamp";
    static final String VERSION = "v0";

    private final HmacKeys keys;
    private final TimestampWindow window;

    public SlackSignatureVerifier(List<String> secrets, TimestampWindow window) {
        this.keys = HmacKeys.ofSecrets("HmacSHA256", secrets);
        this.window = window;
    }

    @Override
    public boolean signsHeader(String name) {
        return TIMESTAMP_HEADER.equalsIgnoreCase(name);
    }

    @Override
    public String expects() {
        return "X-Slack-Signature must be v0=<64 hex>, the HMAC-SHA256 of v0:<X-Slack-Request-Timestamp>:<body>, with"
                + " the timestamp (Unix seconds) inside the window";
    }

    @Override
    public Verdict verify(WebhookRequest request) {
        Optional<String> header = request.header(SIGNATURE_HEADER).map(String::trim);
        if (header.isEmpty()) {
            return PrefixedHexSignature.missing(SIGNATURE_HEADER);
        }
        if (!header.get().startsWith(VERSION + "=")) {
            return Verdict.rejected(Rejection.UNSUPPORTED_SCHEME, SIGNATURE_HEADER + " must have the form v0=<hex>");
        }
        String timestamp = request.header(TIMESTAMP_HEADER).map(String::trim).orElse(null);
        Optional<Verdict> outOfWindow = window.check(TIMESTAMP_HEADER, timestamp, TimeUnit.SECONDS);
        if (outOfWindow.isPresent()) {
            return outOfWindow.get();
        }
        Optional<byte[]> signature = Encodings.hex(header.get().substring(VERSION.length() + 1));
        if (signature.isEmpty()) {
            return Verdict.rejected(Rejection.MALFORMED_SIGNATURE, SIGNATURE_HEADER + " does not carry a hex digest");
        }
        byte[] prefix = (VERSION + ":" + timestamp + ":").getBytes(StandardCharsets.UTF_8);
        return Verdict.signedWith(keys.matching(signature.get(), prefix, request.body()), Rejection.SIGNATURE_MISMATCH, "The signature does not match the request");
    }
}
