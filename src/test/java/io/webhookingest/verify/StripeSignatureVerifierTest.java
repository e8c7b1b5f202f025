package io.webhookingest.verify;

import static io.webhookingest.testing.Requests.request;
import static io.webhookingest.testing.Signatures.hmacHex;
import static io.webhookingest.testing.Signatures.utf8;
import static io.webhookingest.verify.Verifiers.seconds;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.webhookingest.testing.Fixtures;

class StripeSignatureVerifierTest {

    static final String SECRET = "whsec_test_secret";
    static final String HEADER = StripeSignatureVerifier.SIGNATURE_HEADER;
    static final byte[] BODY = Fixtures.bytes("stripe", "payment-intent-succeeded.json");

    final StripeSignatureVerifier verifier = new StripeSignatureVerifier(List.of(SECRET),
            new TimestampWindow(Duration.ofSeconds(300), Verifiers.CLOCK));

    static String v1(String timestamp, String secret) {
        return hmacHex("HmacSHA256", secret, utf8(timestamp + "."), BODY);
    }

    static Stream<VerifierCase> table() {
        String t = seconds(0);
        String good = v1(t, SECRET);
        return Stream.of(
                VerifierCase.valid("t=…,v1=…", request(BODY, HEADER, "t=" + t + ",v1=" + good)),
                VerifierCase.valid("several v1 while Stripe rolls the secret, v0 ignored", request(BODY, HEADER,
                        "t=" + t + ",v1=" + v1(t, "old") + ",v1=" + good + ",v0=" + "00".repeat(32))),
                VerifierCase.rejected("no header", request(BODY), Rejection.MISSING_SIGNATURE),
                VerifierCase.rejected("no t", request(BODY, HEADER, "v1=" + good), Rejection.MISSING_TIMESTAMP),
                VerifierCase.rejected("t twice", request(BODY, HEADER, "t=" + t + ",t=" + t + ",v1=" + good),
                        Rejection.MALFORMED_SIGNATURE),
                VerifierCase.rejected("only v0", request(BODY, HEADER, "t=" + t + ",v0=" + good),
                        Rejection.UNSUPPORTED_SCHEME),
                VerifierCase.rejected("v1 not hex", request(BODY, HEADER, "t=" + t + ",v1=nothex"),
                        Rejection.MALFORMED_SIGNATURE),
                VerifierCase.rejected("not key=value pairs", request(BODY, HEADER, "garbage"),
                        Rejection.MALFORMED_SIGNATURE),
                VerifierCase.rejected("t not a number", request(BODY, HEADER, "t=soon,v1=" + good),
                        Rejection.MALFORMED_TIMESTAMP),
                VerifierCase.rejected("301 s old", request(BODY, HEADER,
                        "t=" + seconds(-301) + ",v1=" + v1(seconds(-301), SECRET)), Rejection.STALE_TIMESTAMP),
                VerifierCase.rejected("301 s ahead", request(BODY, HEADER,
                        "t=" + seconds(301) + ",v1=" + v1(seconds(301), SECRET)), Rejection.FUTURE_TIMESTAMP),
                VerifierCase.rejected("another secret", request(BODY, HEADER, "t=" + t + ",v1=" + v1(t, "other")),
                        Rejection.SIGNATURE_MISMATCH),
                VerifierCase.rejected("secret base64-decoded instead of used as-is", request(BODY, HEADER,
                        "t=" + t + ",v1=" + hmacHex("HmacSHA256", "test_secret", utf8(t + "."), BODY)),
                        Rejection.SIGNATURE_MISMATCH),
                VerifierCase.rejected("tampered body", request(utf8("{}"), HEADER, "t=" + t + ",v1=" + good),
                        Rejection.SIGNATURE_MISMATCH));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void verifies(VerifierCase row) {
        Verifiers.check(verifier, row);
    }
}
