package io.webhookingest.verify;

import static io.webhookingest.testing.Requests.request;
import static io.webhookingest.testing.Signatures.hmacHex;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.webhookingest.testing.Fixtures;

class TerraformSignatureVerifierTest {

    static final String TOKEN = "notification-token";
    static final String HEADER = TerraformSignatureVerifier.SIGNATURE_HEADER;
    static final byte[] BODY = Fixtures.bytes("terraform", "run-completed.json");
    static final String SIGNATURE = hmacHex("HmacSHA512", TOKEN, BODY);

    final TerraformSignatureVerifier verifier = new TerraformSignatureVerifier(List.of(TOKEN, "previous-token"));

    static Stream<VerifierCase> table() {
        byte[] tampered = new String(BODY).replace("applied", "errored").getBytes();
        return Stream.of(
                VerifierCase.valid("hex HMAC-SHA512 of the body", request(BODY, HEADER, SIGNATURE)),
                VerifierCase.validWith("signed with the previous token during rotation",
                        request(BODY, HEADER, hmacHex("HmacSHA512", "previous-token", BODY)), 1),
                VerifierCase.valid("verification request signed like any delivery",
                        request(Fixtures.bytes("terraform", "verification.json"), HEADER,
                                hmacHex("HmacSHA512", TOKEN, Fixtures.bytes("terraform", "verification.json")))),
                VerifierCase.rejected("no header", request(BODY), Rejection.MISSING_SIGNATURE),
                VerifierCase.rejected("empty header, as sent without a token", request(BODY, HEADER, ""),
                        Rejection.MISSING_SIGNATURE),
                VerifierCase.rejected("SHA-256 instead of SHA-512",
                        request(BODY, HEADER, hmacHex("HmacSHA256", TOKEN, BODY)), Rejection.SIGNATURE_MISMATCH),
                VerifierCase.rejected("another token", request(BODY, HEADER, hmacHex("HmacSHA512", "other", BODY)),
                        Rejection.SIGNATURE_MISMATCH),
                VerifierCase.rejected("tampered body", request(tampered, HEADER, SIGNATURE),
                        Rejection.SIGNATURE_MISMATCH),
                VerifierCase.rejected("odd-length hex", request(BODY, HEADER, SIGNATURE.substring(1)),
                        Rejection.MALFORMED_SIGNATURE),
                VerifierCase.rejected("not hex", request(BODY, HEADER, "x".repeat(128)),
                        Rejection.MALFORMED_SIGNATURE),
                VerifierCase.rejected("prefixed value, not bare hex", request(BODY, HEADER, "sha512=" + SIGNATURE),
                        Rejection.MALFORMED_SIGNATURE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void verifies(VerifierCase row) {
        Verifiers.check(verifier, row);
    }
}
