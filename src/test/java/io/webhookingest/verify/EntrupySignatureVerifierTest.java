package io.webhookingest.verify;

import static io.webhookingest.testing.Requests.request;
import static io.webhookingest.testing.Signatures.hmacBase64;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.webhookingest.testing.Fixtures;

class EntrupySignatureVerifierTest {

    static final String SECRET = "your-secret-key-here";
    static final String HEADER = EntrupySignatureVerifier.SIGNATURE_HEADER;
    static final byte[] BODY = Fixtures.bytes("entrupy", "session-completed.json");
    static final String DIGEST = hmacBase64("HmacSHA256", SECRET, BODY);

    final EntrupySignatureVerifier verifier = new EntrupySignatureVerifier(List.of(SECRET));

    static Stream<VerifierCase> table() {
        return Stream.of(
                VerifierCase.valid("SHA256:<base64>", request(BODY, HEADER, "SHA256:" + DIGEST)),
                VerifierCase.rejected("no header", request(BODY), Rejection.MISSING_SIGNATURE),
                VerifierCase.rejected("another hash function", request(BODY, HEADER, "SHA512:" + DIGEST),
                        Rejection.UNSUPPORTED_SCHEME),
                VerifierCase.rejected("lower-case hash name", request(BODY, HEADER, "sha256:" + DIGEST),
                        Rejection.UNSUPPORTED_SCHEME),
                VerifierCase.rejected("no hash name", request(BODY, HEADER, DIGEST), Rejection.MALFORMED_SIGNATURE),
                VerifierCase.rejected("extra part", request(BODY, HEADER, "SHA256:" + DIGEST + ":x"),
                        Rejection.MALFORMED_SIGNATURE),
                VerifierCase.rejected("bad base64", request(BODY, HEADER, "SHA256:***"),
                        Rejection.MALFORMED_SIGNATURE),
                VerifierCase.rejected("hex instead of base64",
                        request(BODY, HEADER, "SHA256:" + io.webhookingest.testing.Signatures.hmacHex("HmacSHA256",
                                SECRET, BODY)), Rejection.SIGNATURE_MISMATCH),
                VerifierCase.rejected("another secret",
                        request(BODY, HEADER, "SHA256:" + hmacBase64("HmacSHA256", "other", BODY)),
                        Rejection.SIGNATURE_MISMATCH),
                VerifierCase.rejected("tampered body", request("{}".getBytes(), HEADER, "SHA256:" + DIGEST),
                        Rejection.SIGNATURE_MISMATCH));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void verifies(VerifierCase row) {
        Verifiers.check(verifier, row);
    }
}
