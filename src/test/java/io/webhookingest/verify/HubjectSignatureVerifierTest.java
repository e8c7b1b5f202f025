package io.webhookingest.verify;

import static io.webhookingest.testing.Requests.request;
import static io.webhookingest.testing.Signatures.hmacHex;

import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.webhookingest.testing.Fixtures;

class HubjectSignatureVerifierTest {

    static final String SECRET = "endpoint-secret";
    static final byte[] BODY = Fixtures.bytes("hubject", "root-cert-added.json");
    static final String DIGEST = hmacHex("HmacSHA256", SECRET, BODY);
    static final String WRONG = hmacHex("HmacSHA256", "wrong", BODY);

    final HubjectSignatureVerifier verifier = new HubjectSignatureVerifier(List.of(SECRET, "old-secret"));

    static Stream<VerifierCase> table() {
        return Stream.of(
                VerifierCase.valid("X-Hubject-Signature: sha256=<hex>",
                        request(BODY, "X-Hubject-Signature", "sha256=" + DIGEST)),
                VerifierCase.validWith("the other live secret",
                        request(BODY, "X-Hubject-Signature", "sha256=" + hmacHex("HmacSHA256", "old-secret", BODY)), 1),
                VerifierCase.valid("lower-case header name, upper-case hex",
                        request(BODY, "x-hubject-signature", "sha256=" + DIGEST.toUpperCase(Locale.ROOT))),
                VerifierCase.valid("X-Operator-Signature: sha256=<hex> (Java sample)",
                        request(BODY, "X-Operator-Signature", "sha256=" + DIGEST)),
                VerifierCase.valid("X-Operator-Signature: <hex> (Go sample)",
                        request(BODY, "X-Operator-Signature", DIGEST)),
                VerifierCase.valid("payload-signature: <hex> (payload specification)",
                        request(BODY, "payload-signature", DIGEST)),
                VerifierCase.valid("one valid header among wrong ones", request(BODY,
                        "X-Hubject-Signature", "sha256=" + WRONG, "payload-signature", DIGEST)),
                VerifierCase.rejected("no header at all", request(BODY), Rejection.MISSING_SIGNATURE),
                VerifierCase.rejected("every header wrong", request(BODY, "X-Hubject-Signature", "sha256=" + WRONG,
                        "X-Operator-Signature", WRONG, "payload-signature", WRONG), Rejection.SIGNATURE_MISMATCH),
                VerifierCase.rejected("sha512 prefix", request(BODY, "X-Hubject-Signature", "sha512=" + DIGEST),
                        Rejection.UNSUPPORTED_SCHEME),
                VerifierCase.rejected("X-Hubject-Signature without its prefix",
                        request(BODY, "X-Hubject-Signature", DIGEST), Rejection.UNSUPPORTED_SCHEME),
                VerifierCase.rejected("sha1 prefix on X-Operator-Signature",
                        request(BODY, "X-Operator-Signature", "sha1=" + DIGEST), Rejection.UNSUPPORTED_SCHEME),
                VerifierCase.rejected("odd length", request(BODY, "X-Hubject-Signature", "sha256=" + DIGEST.substring(1)),
                        Rejection.MALFORMED_SIGNATURE),
                VerifierCase.rejected("not hex", request(BODY, "payload-signature", "g".repeat(64)),
                        Rejection.MALFORMED_SIGNATURE),
                VerifierCase.rejected("huge", request(BODY, "X-Hubject-Signature", "sha256=" + "a".repeat(100_000)),
                        Rejection.MALFORMED_SIGNATURE),
                VerifierCase.rejected("prefix only", request(BODY, "X-Hubject-Signature", "sha256="),
                        Rejection.MALFORMED_SIGNATURE),
                VerifierCase.rejected("empty payload-signature", request(BODY, "payload-signature", ""),
                        Rejection.MISSING_SIGNATURE),
                VerifierCase.rejected("tampered body", request(Fixtures.bytes("hubject", "contract-created.json"),
                        "X-Hubject-Signature", "sha256=" + DIGEST), Rejection.SIGNATURE_MISMATCH));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void verifies(VerifierCase row) {
        Verifiers.check(verifier, row);
    }
}
