package io.webhookingest.verify;

import java.util.Optional;

import io.webhookingest.webhook.WebhookRequest;

/**
 * The common scheme of one header carrying {@code <prefix><hex MAC of the raw body>}, such as GitHub's
 * {@code X-Hub-Signature-256: sha256=…}.
 *
 * @param header          the header name
 * @param prefix          what the value starts with (may be empty)
 * @param prefixOptional  true when senders are documented both with and without the prefix
 */
record PrefixedHexSignature(String header, String prefix, boolean prefixOptional) {

    /** Checks the header if present; empty when the request does not carry it. */
    Optional<Verdict> check(WebhookRequest request, HmacKeys keys) {
        Optional<String> value = request.header(header);
        return value.map(v -> checkValue(v.trim(), request.body(), keys));
    }

    Verdict checkValue(String value, byte[] body, HmacKeys keys) {
        if (value.isEmpty()) {
            return Verdict.rejected(Rejection.MISSING_SIGNATURE, "The " + header + " header is empty");
        }
        String hex;
        if (value.startsWith(prefix)) {
            hex = value.substring(prefix.length());
        } else if (prefixOptional && value.indexOf('=') < 0) {
            hex = value;
        } else {
            return Verdict.rejected(Rejection.UNSUPPORTED_SCHEME,
                    header + " must have the form " + prefix + "<hex digest>");
        }
        Optional<byte[]> signature = Encodings.hex(hex);
        if (signature.isEmpty()) {
            return Verdict.rejected(Rejection.MALFORMED_SIGNATURE, header + " does not carry a hex digest");
        }
        return keys.anyMatches(signature.get(), body)
                ? Verdict.valid()
                : Verdict.rejected(Rejection.SIGNATURE_MISMATCH, "The " + header + " signature does not match the body");
    }

    static Verdict missing(String header) {
        return Verdict.rejected(Rejection.MISSING_SIGNATURE, "The " + header + " header is missing");
    }
}
