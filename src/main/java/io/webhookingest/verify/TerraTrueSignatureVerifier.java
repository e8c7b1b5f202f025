package io.webhookingest.verify;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.webhookingest.webhook.WebhookRequest;

/**
 * TerraTrue: {@code X-TerraTrue-Signature}, the lowercase hex HMAC-SHA256 of {@code <version>:<timestamp>:<body>},
 * with {@code X-TerraTrue-Signature-Version} (only {@code v1} exists) and {@code X-TerraTrue-Request-Timestamp}
 * (Unix seconds), which must be within the window in both directions.
 */
public final class TerraTrueSignatureVerifier implements SignatureVerifier {

    public static final String SIGNATURE_HEADER = "X-TerraTrue-Signature";
    public static final String VERSION_HEADER = "X-TerraTrue-Signature-Version";
    public static final String TIMESTAMP_HEADER = "X-TerraTrue-Request-Timestamp";
    static final String VERSION = "v1";

    private final HmacKeys keys;
    private final TimestampWindow window;

    public TerraTrueSignatureVerifier(List<String> secrets, TimestampWindow window) {
        this.keys = HmacKeys.ofSecrets("HmacSHA256", secrets);
        this.window = window;
    }

    @Override
    public boolean signsHeader(String name) {
        return VERSION_HEADER.equalsIgnoreCase(name) || TIMESTAMP_HEADER.equalsIgnoreCase(name);
    }

    @Override
    public String expects() {
        return "X-TerraTrue-Signature must be <64 hex>, the HMAC-SHA256 of v1:<X-TerraTrue-Request-Timestamp>:<body>,"
                + " with X-TerraTrue-Signature-Version v1 and the timestamp (Unix seconds) inside the window";
    }

    @Override
    public Verdict verify(WebhookRequest request) {
        Optional<String> signatureHeader = request.header(SIGNATURE_HEADER);
        if (signatureHeader.isEmpty()) {
            return PrefixedHexSignature.missing(SIGNATURE_HEADER);
        }
        Optional<String> version = request.header(VERSION_HEADER).map(String::trim);
        if (version.isEmpty()) {
            return PrefixedHexSignature.missing(VERSION_HEADER);
        }
        if (!version.get().equals(VERSION)) {
            return Verdict.rejected(Rejection.UNSUPPORTED_SCHEME,
                    VERSION_HEADER + " " + Verdict.quote(version.get()) + " is not supported; only v1 is");
        }
        String timestamp = request.header(TIMESTAMP_HEADER).map(String::trim).orElse(null);
        Optional<Verdict> outOfWindow = window.check(TIMESTAMP_HEADER, timestamp, TimeUnit.SECONDS);
        if (outOfWindow.isPresent()) {
            return outOfWindow.get();
        }
        Optional<byte[]> signature = Encodings.hex(signatureHeader.get().trim());
        if (signature.isEmpty()) {
            return Verdict.rejected(Rejection.MALFORMED_SIGNATURE, SIGNATURE_HEADER + " does not carry a hex digest");
        }
        byte[] prefix = (VERSION + ":" + timestamp + ":").getBytes(StandardCharsets.UTF_8);
        return Verdict.signedWith(keys.matching(signature.get(), prefix, request.body()), Rejection.SIGNATURE_MISMATCH, "The signature does not match the request");
    }
}
