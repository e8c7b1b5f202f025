package io.webhookingest.verify;

import static io.webhookingest.testing.Requests.request;
import static io.webhookingest.testing.Signatures.hmacHex;
import static io.webhookingest.testing.Signatures.utf8;
import static io.webhookingest.verify.Verifiers.seconds;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.webhookingest.testing.Fixtures;
import io.webhookingest.webhook.WebhookRequest;

class TerraTrueSignatureVerifierTest {

    static final String SECRET = "MY_SIGNING_SECRET";
    static final byte[] BODY = Fixtures.bytes("terratrue", "launch-created.json");

    final TerraTrueSignatureVerifier verifier = new TerraTrueSignatureVerifier(List.of(SECRET),
            new TimestampWindow(Duration.ofMinutes(5), Verifiers.CLOCK));

    static WebhookRequest signed(String version, String timestamp, String secret, byte[] body) {
        String signature = hmacHex("HmacSHA256", secret, utf8(version + ":" + timestamp + ":"), body);
        return request(body, "X-TerraTrue-Signature", signature, "X-TerraTrue-Signature-Version", version,
                "X-TerraTrue-Request-Timestamp", timestamp);
    }

    static Stream<VerifierCase> table() {
        WebhookRequest valid = signed("v1", seconds(0), SECRET, BODY);
        return Stream.of(
                VerifierCase.valid("v1:<timestamp>:<body>", valid),
                VerifierCase.valid("299 s old", signed("v1", seconds(-299), SECRET, BODY)),
                VerifierCase.valid("299 s ahead", signed("v1", seconds(299), SECRET, BODY)),
                VerifierCase.rejected("301 s old", signed("v1", seconds(-301), SECRET, BODY),
                        Rejection.STALE_TIMESTAMP),
                VerifierCase.rejected("301 s ahead", signed("v1", seconds(301), SECRET, BODY),
                        Rejection.FUTURE_TIMESTAMP),
                VerifierCase.rejected("version v2", signed("v2", seconds(0), SECRET, BODY),
                        Rejection.UNSUPPORTED_SCHEME),
                VerifierCase.rejected("no signature", request(BODY, "X-TerraTrue-Signature-Version", "v1",
                        "X-TerraTrue-Request-Timestamp", seconds(0)), Rejection.MISSING_SIGNATURE),
                VerifierCase.rejected("no version", request(BODY, "X-TerraTrue-Signature", "ab",
                        "X-TerraTrue-Request-Timestamp", seconds(0)), Rejection.MISSING_SIGNATURE),
                VerifierCase.rejected("no timestamp", request(BODY, "X-TerraTrue-Signature", "ab",
                        "X-TerraTrue-Signature-Version", "v1"), Rejection.MISSING_TIMESTAMP),
                VerifierCase.rejected("timestamp not a number", signed("v1", "yesterday", SECRET, BODY),
                        Rejection.MALFORMED_TIMESTAMP),
                VerifierCase.rejected("timestamp moved after signing", request(BODY,
                        "X-TerraTrue-Signature", valid.header("X-TerraTrue-Signature").orElseThrow(),
                        "X-TerraTrue-Signature-Version", "v1", "X-TerraTrue-Request-Timestamp", seconds(1)),
                        Rejection.SIGNATURE_MISMATCH),
                VerifierCase.rejected("another secret", signed("v1", seconds(0), "other", BODY),
                        Rejection.SIGNATURE_MISMATCH),
                VerifierCase.rejected("tampered body", request(utf8("{}"), "X-TerraTrue-Signature",
                        valid.header("X-TerraTrue-Signature").orElseThrow(), "X-TerraTrue-Signature-Version", "v1",
                        "X-TerraTrue-Request-Timestamp", seconds(0)), Rejection.SIGNATURE_MISMATCH),
                VerifierCase.rejected("not hex", request(BODY, "X-TerraTrue-Signature", "zz",
                        "X-TerraTrue-Signature-Version", "v1", "X-TerraTrue-Request-Timestamp", seconds(0)),
                        Rejection.MALFORMED_SIGNATURE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void verifies(VerifierCase row) {
        Verifiers.check(verifier, row);
    }

    @Test
    void zeroToleranceTurnsTheWindowOff() {
        TerraTrueSignatureVerifier unbounded = new TerraTrueSignatureVerifier(List.of(SECRET),
                new TimestampWindow(Duration.ZERO, Verifiers.CLOCK));
        Verifiers.check(unbounded, VerifierCase.valid("a year old", signed("v1", seconds(-31_536_000), SECRET, BODY)));
    }
}
