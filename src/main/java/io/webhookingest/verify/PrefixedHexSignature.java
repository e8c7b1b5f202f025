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

    /** What one header carries: the MAC it claims, or why it cannot carry one. */
    record Parsed(byte[] signature, Verdict rejection) {
    }

    /** Checks the header if present; empty when the request does not carry it. */
    Optional<Verdict> check(WebhookRequest request, HmacKeys keys) {
        return parse(request).map(parsed -> parsed.rejection() != null ? parsed.rejection()
                : matched(keys.matching(parsed.signature(), request.body())));
    }

    /** Reads the header without computing anything over the body; empty when the request does not carry it. */
    Optional<Parsed> parse(WebhookRequest request) {
        return request.header(header).map(value -> parseValue(value.trim()));
    }

    private Parsed parseValue(String value) {
        if (value.isEmpty()) {
            return rejected(Rejection.MISSING_SIGNATURE, "The " + header + " header is empty");
        }
        String hex;
        if (value.startsWith(prefix)) {
            hex = value.substring(prefix.length());
        } else if (prefixOptional && value.indexOf('=') < 0) {
            hex = value;
        } else {
            return rejected(Rejection.UNSUPPORTED_SCHEME, header + " must have the form " + prefix + "<hex digest>");
        }
        Optional<byte[]> signature = Encodings.hex(hex);
        if (signature.isEmpty()) {
            return rejected(Rejection.MALFORMED_SIGNATURE, header + " does not carry a hex digest");
        }
        return new Parsed(signature.get(), null);
    }

    private Verdict matched(int secret) {
        return secret == HmacKeys.NO_MATCH ? mismatch() : Verdict.valid(secret);
    }

    Verdict mismatch() {
        return Verdict.rejected(Rejection.SIGNATURE_MISMATCH, "The " + header + " signature does not match the body");
    }

    private static Parsed rejected(Rejection rejection, String detail) {
        return new Parsed(null, Verdict.rejected(rejection, detail));
    }

    static Verdict missing(String header) {
        return Verdict.rejected(Rejection.MISSING_SIGNATURE, "The " + header + " header is missing");
    }
}
