package io.webhookingest.verify;

import static io.webhookingest.testing.Requests.request;
import static io.webhookingest.testing.Signatures.utf8;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.webhookingest.testing.Fixtures;
import io.webhookingest.testing.Signatures;

class StandardWebhooksSignatureVerifierTest {

    /** The example of the Standard Webhooks specification. */
    static final String SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final String SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    static final String SPEC_TIMESTAMP = "1614265330";
    static final byte[] SPEC_BODY = Fixtures.bytes("standard-webhooks", "spec-example.json");
    static final String SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    static final Clock AT_SPEC_TIME = Clock.fixed(Instant.ofEpochSecond(Long.parseLong(SPEC_TIMESTAMP)),
            ZoneOffset.UTC);

    final StandardWebhooksSignatureVerifier verifier = new StandardWebhooksSignatureVerifier(
            List.of(SPEC_SECRET, "whsec_" + Base64.getEncoder().encodeToString(utf8("previous-key"))),
            new TimestampWindow(Duration.ofMinutes(5), AT_SPEC_TIME));

    static String sign(String id, String timestamp, byte[] key) {
        return "v1," + Base64.getEncoder().encodeToString(
                Signatures.hmac("HmacSHA256", key, utf8(id + "." + timestamp + "."), SPEC_BODY));
    }

    static Stream<VerifierCase> table() {
        byte[] specKey = Base64.getDecoder().decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        long t = Long.parseLong(SPEC_TIMESTAMP);
        return Stream.of(
                VerifierCase.valid("the specification's example", request(SPEC_BODY, "webhook-id", SPEC_ID,
                        "webhook-timestamp", SPEC_TIMESTAMP, "webhook-signature", SPEC_SIGNATURE)),
                VerifierCase.valid("one of several signatures, other versions ignored", request(SPEC_BODY,
                        "webhook-id", SPEC_ID, "webhook-timestamp", SPEC_TIMESTAMP, "webhook-signature",
                        "v1a,AAAA v1,Zm9v " + SPEC_SIGNATURE)),
                VerifierCase.validWith("the other live key", request(SPEC_BODY, "webhook-id", SPEC_ID,
                        "webhook-timestamp", SPEC_TIMESTAMP, "webhook-signature",
                        sign(SPEC_ID, SPEC_TIMESTAMP, utf8("previous-key"))), 1),
                VerifierCase.rejected("no webhook-id", request(SPEC_BODY, "webhook-timestamp", SPEC_TIMESTAMP,
                        "webhook-signature", SPEC_SIGNATURE), Rejection.MISSING_SIGNATURE),
                VerifierCase.rejected("no webhook-timestamp", request(SPEC_BODY, "webhook-id", SPEC_ID,
                        "webhook-signature", SPEC_SIGNATURE), Rejection.MISSING_TIMESTAMP),
                VerifierCase.rejected("no webhook-signature", request(SPEC_BODY, "webhook-id", SPEC_ID,
                        "webhook-timestamp", SPEC_TIMESTAMP), Rejection.MISSING_SIGNATURE),
                VerifierCase.rejected("only other versions", request(SPEC_BODY, "webhook-id", SPEC_ID,
                        "webhook-timestamp", SPEC_TIMESTAMP, "webhook-signature", "v1a,AAAA"),
                        Rejection.UNSUPPORTED_SCHEME),
                VerifierCase.rejected("entry without a comma", request(SPEC_BODY, "webhook-id", SPEC_ID,
                        "webhook-timestamp", SPEC_TIMESTAMP, "webhook-signature", "v1"),
                        Rejection.MALFORMED_SIGNATURE),
                VerifierCase.rejected("v1 not base64", request(SPEC_BODY, "webhook-id", SPEC_ID,
                        "webhook-timestamp", SPEC_TIMESTAMP, "webhook-signature", "v1,@@@"),
                        Rejection.MALFORMED_SIGNATURE),
                VerifierCase.rejected("six minutes old", request(SPEC_BODY, "webhook-id", SPEC_ID,
                        "webhook-timestamp", Long.toString(t - 360), "webhook-signature",
                        sign(SPEC_ID, Long.toString(t - 360), specKey)), Rejection.STALE_TIMESTAMP),
                VerifierCase.rejected("six minutes ahead", request(SPEC_BODY, "webhook-id", SPEC_ID,
                        "webhook-timestamp", Long.toString(t + 360), "webhook-signature",
                        sign(SPEC_ID, Long.toString(t + 360), specKey)), Rejection.FUTURE_TIMESTAMP),
                VerifierCase.rejected("another message id", request(SPEC_BODY, "webhook-id", "msg_other",
                        "webhook-timestamp", SPEC_TIMESTAMP, "webhook-signature", SPEC_SIGNATURE),
                        Rejection.SIGNATURE_MISMATCH),
                VerifierCase.rejected("key used as text instead of base64-decoded", request(SPEC_BODY,
                        "webhook-id", SPEC_ID, "webhook-timestamp", SPEC_TIMESTAMP, "webhook-signature",
                        sign(SPEC_ID, SPEC_TIMESTAMP, utf8("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))),
                        Rejection.SIGNATURE_MISMATCH),
                VerifierCase.valid("the same example sent through Svix", request(SPEC_BODY, "svix-id", SPEC_ID,
                        "svix-timestamp", SPEC_TIMESTAMP, "svix-signature", SPEC_SIGNATURE)),
                VerifierCase.rejected("a Svix signature over another svix-id", request(SPEC_BODY, "svix-id",
                        "msg_other", "svix-timestamp", SPEC_TIMESTAMP, "svix-signature", SPEC_SIGNATURE),
                        Rejection.SIGNATURE_MISMATCH),
                VerifierCase.rejected("a stale svix-timestamp", request(SPEC_BODY, "svix-id", SPEC_ID,
                        "svix-timestamp", Long.toString(t - 360), "svix-signature",
                        sign(SPEC_ID, Long.toString(t - 360), specKey)), Rejection.STALE_TIMESTAMP),
                VerifierCase.rejected("no svix-id", request(SPEC_BODY, "svix-timestamp", SPEC_TIMESTAMP,
                        "svix-signature", SPEC_SIGNATURE), Rejection.MISSING_SIGNATURE),
                VerifierCase.rejected("a Svix signature with the other family's id and timestamp", request(SPEC_BODY,
                        "webhook-id", SPEC_ID, "webhook-timestamp", SPEC_TIMESTAMP, "svix-signature",
                        SPEC_SIGNATURE), Rejection.MISSING_SIGNATURE),
                VerifierCase.valid("a Svix signature beside the same webhook-id", request(SPEC_BODY, "svix-id",
                        SPEC_ID, "svix-timestamp", SPEC_TIMESTAMP, "svix-signature", SPEC_SIGNATURE, "webhook-id",
                        SPEC_ID)),
                VerifierCase.rejected("a Svix signature beside another webhook-id, which would be the identity",
                        request(SPEC_BODY, "svix-id", SPEC_ID, "svix-timestamp", SPEC_TIMESTAMP, "svix-signature",
                                SPEC_SIGNATURE, "webhook-id", "msg_forged"), Rejection.MALFORMED_SIGNATURE),
                VerifierCase.rejected("a webhook-signature read with its own family only", request(SPEC_BODY,
                        "svix-id", SPEC_ID, "svix-timestamp", SPEC_TIMESTAMP, "webhook-signature", SPEC_SIGNATURE),
                        Rejection.MISSING_SIGNATURE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void verifies(VerifierCase row) {
        Verifiers.check(verifier, row);
    }

    @Test
    void secretsThatAreNotBase64AreRefusedWithoutEchoingThem() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> new StandardWebhooksSignatureVerifier(List.of("whsec_not*base64!"),
                        new TimestampWindow(Duration.ofMinutes(5), AT_SPEC_TIME)));
        assertFalse(refused.getMessage().contains("not*base64"));
    }
}
