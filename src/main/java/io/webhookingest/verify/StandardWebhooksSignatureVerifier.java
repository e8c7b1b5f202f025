package io.webhookingest.verify;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.webhookingest.webhook.WebhookRequest;

/**
 * Standard Webhooks: {@code webhook-signature} holds space-separated {@code v1,<base64>} entries (any may match), each
 * the HMAC-SHA256 of {@code <webhook-id>.<webhook-timestamp>.<body>}. Secrets are base64 keys, usually written with
 * the {@code whsec_} prefix. {@code webhook-timestamp} (Unix seconds) must be inside the window.
 */
public final class StandardWebhooksSignatureVerifier implements SignatureVerifier {

    public static final String ID_HEADER = "webhook-id";
    public static final String TIMESTAMP_HEADER = "webhook-timestamp";
    public static final String SIGNATURE_HEADER = "webhook-signature";
    static final String SECRET_PREFIX = "whsec_";
    static final String VERSION = "v1";
    static final int MAX_SIGNATURES = 32;

    private final HmacKeys keys;
    private final TimestampWindow window;

    /** Throws {@link IllegalArgumentException} when a secret is not base64 (its value is not in the message). */
    public StandardWebhooksSignatureVerifier(List<String> secrets, TimestampWindow window) {
        this.keys = HmacKeys.ofBytes("HmacSHA256",
                secrets.stream().map(StandardWebhooksSignatureVerifier::key).toList());
        this.window = window;
    }

    static byte[] key(String secret) {
        String encoded = secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret;
        try {
            byte[] key = Base64.getDecoder().decode(encoded);
            if (key.length == 0) {
                throw new IllegalArgumentException("a Standard Webhooks secret decodes to an empty key");
            }
            return key;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a Standard Webhooks secret must be base64, optionally after whsec_");
        }
    }

    @Override
    public boolean signsHeader(String name) {
        return ID_HEADER.equalsIgnoreCase(name) || TIMESTAMP_HEADER.equalsIgnoreCase(name);
    }

    @Override
    public Verdict verify(WebhookRequest request) {
        Optional<String> id = request.header(ID_HEADER).map(String::trim).filter(v -> !v.isEmpty());
        Optional<String> header = request.header(SIGNATURE_HEADER);
        if (header.isEmpty()) {
            return PrefixedHexSignature.missing(SIGNATURE_HEADER);
        }
        if (id.isEmpty()) {
            return PrefixedHexSignature.missing(ID_HEADER);
        }
        String timestamp = request.header(TIMESTAMP_HEADER).map(String::trim).orElse(null);
        Optional<Verdict> outOfWindow = window.check(TIMESTAMP_HEADER, timestamp, TimeUnit.SECONDS);
        if (outOfWindow.isPresent()) {
            return outOfWindow.get();
        }
        List<byte[]> candidates = new ArrayList<>();
        String[] entries = HeaderParameters.words(header.get());
        if (entries.length > MAX_SIGNATURES) {
            return Verdict.rejected(Rejection.MALFORMED_SIGNATURE, SIGNATURE_HEADER + " carries too many signatures");
        }
        for (String entry : entries) {
            int comma = entry.indexOf(',');
            if (comma <= 0) {
                return Verdict.rejected(Rejection.MALFORMED_SIGNATURE,
                        SIGNATURE_HEADER + " entries must have the form v1,<base64>");
            }
            if (entry.substring(0, comma).equals(VERSION)) {
                Optional<byte[]> decoded = Encodings.base64(entry.substring(comma + 1));
                if (decoded.isEmpty()) {
                    return Verdict.rejected(Rejection.MALFORMED_SIGNATURE,
                            SIGNATURE_HEADER + " has a v1 entry that is not base64");
                }
                candidates.add(decoded.get());
            }
        }
        if (candidates.isEmpty()) {
            return Verdict.rejected(Rejection.UNSUPPORTED_SCHEME, SIGNATURE_HEADER + " has no v1 signature");
        }
        byte[] prefix = (id.get() + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
        return keys.anyMatches(candidates, prefix, request.body())
                ? Verdict.valid()
                : Verdict.rejected(Rejection.SIGNATURE_MISMATCH, "No v1 signature matches the request");
    }
}
