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
 * the {@code whsec_} prefix. {@code webhook-timestamp} (Unix seconds) must be inside the window. Senders that go
 * through Svix sign the same way under {@code svix-id}, {@code svix-timestamp} and {@code svix-signature}; a request
 * is read in the one family its signature header belongs to, never a mix.
 */
public final class StandardWebhooksSignatureVerifier implements SignatureVerifier {

    public static final String ID_HEADER = "webhook-id";
    public static final String TIMESTAMP_HEADER = "webhook-timestamp";
    public static final String SIGNATURE_HEADER = "webhook-signature";
    public static final String SVIX_ID_HEADER = "svix-id";
    public static final String SVIX_TIMESTAMP_HEADER = "svix-timestamp";
    public static final String SVIX_SIGNATURE_HEADER = "svix-signature";
    static final String SECRET_PREFIX = "whsec_";
    static final String VERSION = "v1";
    static final int MAX_SIGNATURES = 32;

    /** The names one sender uses for the three headers. */
    private record Headers(String id, String timestamp, String signature) {
    }

    private static final Headers STANDARD = new Headers(ID_HEADER, TIMESTAMP_HEADER, SIGNATURE_HEADER);
    private static final Headers SVIX = new Headers(SVIX_ID_HEADER, SVIX_TIMESTAMP_HEADER, SVIX_SIGNATURE_HEADER);

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
        return ID_HEADER.equalsIgnoreCase(name) || TIMESTAMP_HEADER.equalsIgnoreCase(name)
                || SVIX_ID_HEADER.equalsIgnoreCase(name) || SVIX_TIMESTAMP_HEADER.equalsIgnoreCase(name);
    }

    @Override
    public String expects() {
        return "webhook-signature must hold v1,<base64> entries, each the HMAC-SHA256 of"
                + " <webhook-id>.<webhook-timestamp>.<body> (from Svix: svix-signature over"
                + " <svix-id>.<svix-timestamp>.<body>), with the timestamp (Unix seconds) inside the window";
    }

    @Override
    public Verdict verify(WebhookRequest request) {
        Headers names = request.header(SIGNATURE_HEADER).isEmpty()
                && request.header(SVIX_SIGNATURE_HEADER).isPresent() ? SVIX : STANDARD;
        Optional<String> id = request.header(names.id()).map(String::trim).filter(v -> !v.isEmpty());
        Optional<String> header = request.header(names.signature());
        if (header.isEmpty()) {
            return PrefixedHexSignature.missing(SIGNATURE_HEADER);
        }
        if (id.isEmpty()) {
            return PrefixedHexSignature.missing(names.id());
        }
        // The event's identity is read from webhook-id first: beside a Svix signature it must be the id signed.
        if (names == SVIX && request.header(ID_HEADER).map(String::trim).filter(other -> !other.equals(id.get()))
                .isPresent()) {
            return Verdict.rejected(Rejection.MALFORMED_SIGNATURE, ID_HEADER + " differs from the " + SVIX_ID_HEADER
                    + " that " + SVIX_SIGNATURE_HEADER + " covers");
        }
        String timestamp = request.header(names.timestamp()).map(String::trim).orElse(null);
        Optional<Verdict> outOfWindow = window.check(names.timestamp(), timestamp, TimeUnit.SECONDS);
        if (outOfWindow.isPresent()) {
            return outOfWindow.get();
        }
        List<byte[]> candidates = new ArrayList<>();
        String[] entries = HeaderParameters.words(header.get());
        if (entries.length > MAX_SIGNATURES) {
            return Verdict.rejected(Rejection.MALFORMED_SIGNATURE, names.signature() + " carries too many signatures");
        }
        for (String entry : entries) {
            int comma = entry.indexOf(',');
            if (comma <= 0) {
                return Verdict.rejected(Rejection.MALFORMED_SIGNATURE,
                        names.signature() + " entries must have the form v1,<base64>");
            }
            if (entry.substring(0, comma).equals(VERSION)) {
                Optional<byte[]> decoded = Encodings.base64(entry.substring(comma + 1));
                if (decoded.isEmpty()) {
                    return Verdict.rejected(Rejection.MALFORMED_SIGNATURE,
                            names.signature() + " has a v1 entry that is not base64");
                }
                candidates.add(decoded.get());
            }
        }
        if (candidates.isEmpty()) {
            return Verdict.rejected(Rejection.UNSUPPORTED_SCHEME, names.signature() + " has no v1 signature");
        }
        byte[] prefix = (id.get() + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
        return Verdict.signedWith(keys.matching(candidates, prefix, request.body()), Rejection.SIGNATURE_MISMATCH, "No v1 signature matches the request");
    }
}
