package io.webhookingest.verify;

import static io.webhookingest.testing.Requests.requestTo;
import static io.webhookingest.testing.Signatures.hmacHex;
import static io.webhookingest.testing.Signatures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.webhookingest.testing.Fixtures;
import io.webhookingest.webhook.WebhookRequest;

class XpanseSignatureVerifierTest {

    static final String SECRET = "xpanse-secret";
    static final byte[] BODY = Fixtures.bytes("xpanse", "terra-boot-result.json");
    static final String URL = "http://ingest.internal:8080/webhooks/xpanse/webhook/terra-boot/order/o-1";
    static final String NONCE = "9f86d081884c7d659a2feaa0c55ad015";
    static final String MILLIS = Long.toString(Verifiers.NOW.toEpochMilli());
    static final Duration TOLERANCE = Duration.ofMinutes(5);
    /** The allow-list a source has unless configured otherwise. */
    static final List<String> SHA2 = List.of("HmacSHA256", "HmacSHA384", "HmacSHA512");

    final XpanseSignatureVerifier verifier = new XpanseSignatureVerifier(List.of(SECRET), SHA2,
            new TimestampWindow(TOLERANCE, Verifiers.CLOCK), Optional.empty());

    /** Signs as xpanse does: the named headers' values, each followed by a newline, the URL, a newline, the body. */
    static String signature(String algorithm, String url, String nonce, String millis, byte[] body) {
        return hmacHex(algorithm, SECRET, utf8(nonce + "\n" + millis + "\n" + url + "\n"), body);
    }

    static WebhookRequest delivery(String algorithm, String url, String nonce, String millis, String signedNames,
            String signature) {
        return requestTo(url, "/webhook/terra-boot/order/o-1", BODY, "x-nonce-signature", nonce,
                "x-timestamp-signature", millis, "x-signature",
                "algorithm=" + algorithm + ";headers=" + signedNames + ";signature=" + signature);
    }

    static WebhookRequest valid(String algorithm) {
        return delivery(algorithm, URL, NONCE, MILLIS, "x-nonce-signature x-timestamp-signature",
                signature(algorithm, URL, NONCE, MILLIS, BODY));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"HmacSHA256", "HmacSHA384", "HmacSHA512"})
    void acceptsTheSha2AlgorithmsByDefault(String algorithm) {
        Verdict verdict = verifier.verify(valid(algorithm));
        assertTrue(verdict.isValid(), verdict::detail);
        assertEquals(NONCE, verdict.replayGuard().orElseThrow().nonce(), "the signed nonce guards against replay");
    }

    static Stream<VerifierCase> table() {
        String good = signature("HmacSHA256", URL, NONCE, MILLIS, BODY);
        String names = "x-nonce-signature x-timestamp-signature";
        long now = Verifiers.NOW.toEpochMilli();
        String stale = Long.toString(now - 301_000);
        String ahead = Long.toString(now + 301_000);
        return Stream.of(
                VerifierCase.rejected("no x-signature", requestTo(URL, "", BODY), Rejection.MISSING_SIGNATURE),
                VerifierCase.rejected("not key=value", requestTo(URL, "", BODY, "x-signature", "HmacSHA256 " + good),
                        Rejection.MALFORMED_SIGNATURE),
                VerifierCase.rejected("no signature part", requestTo(URL, "", BODY, "x-signature",
                        "algorithm=HmacSHA256;headers=" + names), Rejection.MALFORMED_SIGNATURE),
                VerifierCase.rejected("algorithm twice", requestTo(URL, "", BODY, "x-signature",
                        "algorithm=HmacSHA256;algorithm=HmacMD5;headers=" + names + ";signature=" + good),
                        Rejection.MALFORMED_SIGNATURE),
                VerifierCase.rejected("unsupported algorithm", delivery("HmacSHA3-256", URL, NONCE, MILLIS, names,
                        good), Rejection.UNSUPPORTED_SCHEME),
                VerifierCase.rejected("algorithm in another spelling", delivery("SHA256", URL, NONCE, MILLIS, names,
                        good), Rejection.UNSUPPORTED_SCHEME),
                VerifierCase.rejected("signature not hex", delivery("HmacSHA256", URL, NONCE, MILLIS, names, "zz"),
                        Rejection.MALFORMED_SIGNATURE),
                VerifierCase.rejected("names a header the request lacks", delivery("HmacSHA256", URL, NONCE, MILLIS,
                        names + " x-missing", good), Rejection.MALFORMED_SIGNATURE),
                VerifierCase.rejected("timestamp not signed", delivery("HmacSHA256", URL, NONCE, MILLIS,
                        "x-nonce-signature", hmacHex("HmacSHA256", SECRET, utf8(NONCE + "\n" + URL + "\n"), BODY)),
                        Rejection.MISSING_TIMESTAMP),
                VerifierCase.rejected("timestamp in seconds", delivery("HmacSHA256", URL, NONCE,
                        Long.toString(now / 1000), names, signature("HmacSHA256", URL, NONCE,
                                Long.toString(now / 1000), BODY)), Rejection.STALE_TIMESTAMP),
                VerifierCase.rejected("301 s old", delivery("HmacSHA256", URL, NONCE, stale, names,
                        signature("HmacSHA256", URL, NONCE, stale, BODY)), Rejection.STALE_TIMESTAMP),
                VerifierCase.rejected("301 s ahead", delivery("HmacSHA256", URL, NONCE, ahead, names,
                        signature("HmacSHA256", URL, NONCE, ahead, BODY)), Rejection.FUTURE_TIMESTAMP),
                VerifierCase.rejected("signed for another URL", delivery("HmacSHA256", URL, NONCE, MILLIS, names,
                        signature("HmacSHA256", URL.replace(":8080", ""), NONCE, MILLIS, BODY)),
                        Rejection.SIGNATURE_MISMATCH),
                VerifierCase.rejected("headers listed in another order", delivery("HmacSHA256", URL, NONCE, MILLIS,
                        "x-timestamp-signature x-nonce-signature", good), Rejection.SIGNATURE_MISMATCH),
                VerifierCase.rejected("signed text with a trailing newline", delivery("HmacSHA256", URL, NONCE,
                        MILLIS, names, hmacHex("HmacSHA256", SECRET, utf8(NONCE + "\n" + MILLIS + "\n" + URL + "\n"),
                                BODY, utf8("\n"))), Rejection.SIGNATURE_MISMATCH),
                VerifierCase.rejected("another secret", delivery("HmacSHA256", URL, NONCE, MILLIS, names,
                        hmacHex("HmacSHA256", "other", utf8(NONCE + "\n" + MILLIS + "\n" + URL + "\n"), BODY)),
                        Rejection.SIGNATURE_MISMATCH));
    }

    /** xpanse lets the sender name the algorithm; a weak one is refused unless the source lists it. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"HmacMD5", "HmacSHA1", "HmacSHA224"})
    void refusesOtherAlgorithmsUnlessListed(String algorithm) {
        Verdict refused = verifier.verify(valid(algorithm));
        assertEquals(Rejection.UNSUPPORTED_SCHEME, refused.rejection(), refused::detail);
        XpanseSignatureVerifier widened = new XpanseSignatureVerifier(List.of(SECRET),
                List.of("HmacSHA256", algorithm), new TimestampWindow(TOLERANCE, Verifiers.CLOCK), Optional.empty());
        Verdict accepted = widened.verify(valid(algorithm));
        assertTrue(accepted.isValid(), accepted::detail);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void verifies(VerifierCase row) {
        Verifiers.check(verifier, row);
    }

    @Test
    void verifiesAgainstTheConfiguredPublicUrlPlusTailAndQuery() {
        XpanseSignatureVerifier behindIngress = new XpanseSignatureVerifier(List.of(SECRET), SHA2,
                new TimestampWindow(TOLERANCE, Verifiers.CLOCK), Optional.of("https://hooks.example.com/xpanse"));
        String senderUrl = "https://hooks.example.com/xpanse/webhook/terra-boot/order/o-1?attempt=1";
        WebhookRequest seenInside = requestTo("http://10.0.0.7:8080/webhooks/xpanse/webhook/terra-boot/order/o-1"
                + "?attempt=1", "/webhook/terra-boot/order/o-1", BODY, "x-nonce-signature", NONCE,
                "x-timestamp-signature", MILLIS, "x-signature", "algorithm=HmacSHA256;headers=x-nonce-signature"
                        + " x-timestamp-signature;signature=" + signature("HmacSHA256", senderUrl, NONCE, MILLIS, BODY));
        Verifiers.check(behindIngress, VerifierCase.valid("public URL", seenInside));
    }

    @Test
    void withoutAWindowTheTimestampIsNotRequiredAndTheNonceStillGuards() {
        XpanseSignatureVerifier unbounded = new XpanseSignatureVerifier(List.of(SECRET), SHA2,
                new TimestampWindow(Duration.ZERO, Verifiers.CLOCK), Optional.empty());
        WebhookRequest nonceOnly = requestTo(URL, "", BODY, "x-nonce-signature", NONCE, "x-signature",
                "algorithm=HmacSHA512;headers=x-nonce-signature;signature="
                        + hmacHex("HmacSHA512", SECRET, utf8(NONCE + "\n" + URL + "\n"), BODY));
        Verdict verdict = unbounded.verify(nonceOnly);
        assertTrue(verdict.isValid(), verdict::detail);
        assertEquals(NONCE, verdict.replayGuard().orElseThrow().nonce());
    }

    @Test
    void deliveryWithoutASignedNonceHasNoReplayGuard() {
        String names = "x-timestamp-signature";
        WebhookRequest request = delivery("HmacSHA256", URL, NONCE, MILLIS, names,
                hmacHex("HmacSHA256", SECRET, utf8(MILLIS + "\n" + URL + "\n"), BODY));
        Verdict verdict = verifier.verify(request);
        assertTrue(verdict.isValid(), verdict::detail);
        assertTrue(verdict.replayGuard().isEmpty());
    }
}
