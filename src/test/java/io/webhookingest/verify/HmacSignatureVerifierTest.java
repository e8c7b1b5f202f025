package io.webhookingest.verify;

import static io.webhookingest.testing.Requests.requestTo;
import static io.webhookingest.testing.Signatures.hmac;
import static io.webhookingest.testing.Signatures.hmacHex;
import static io.webhookingest.testing.Signatures.utf8;
import static io.webhookingest.verify.Verifiers.seconds;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class HmacSignatureVerifierTest {

    static final String SECRET = "acme-secret";
    static final byte[] BODY = utf8("{\"delivery\":{\"id\":\"d-1\"}}");
    static final String URL = "https://ingest.example.com/webhooks/acme";

    /** A scheme like many in the wild: base64 HMAC-SHA512 over "timestamp.url.body", with a prefix. */
    static final HmacScheme TEMPLATED = new HmacScheme("X-Acme-Signature", "HmacSHA512", SignatureEncoding.BASE64,
            Optional.of("v1="), ContentTemplate.parse("{header:X-Acme-Timestamp}.{url}.{body}"),
            Optional.of("X-Acme-Timestamp"), TimeUnit.SECONDS);

    /** The simplest scheme: hex HMAC-SHA256 of the body. */
    static final HmacScheme PLAIN = new HmacScheme("X-Signature", "HmacSHA256", SignatureEncoding.HEX,
            Optional.empty(), ContentTemplate.BODY, Optional.empty(), TimeUnit.SECONDS);

    final HmacSignatureVerifier templated = verifier(TEMPLATED);
    final HmacSignatureVerifier plain = verifier(PLAIN);

    static HmacSignatureVerifier verifier(HmacScheme scheme) {
        return new HmacSignatureVerifier(scheme, List.of(SECRET),
                new TimestampWindow(Duration.ofMinutes(5), Verifiers.CLOCK), Optional.empty());
    }

    static String templatedSignature(String timestamp, String url) {
        return "v1=" + Base64.getEncoder().encodeToString(hmac("HmacSHA512", utf8(SECRET),
                utf8(timestamp + "." + url + "."), BODY));
    }

    static Stream<VerifierCase> templatedTable() {
        String t = seconds(0);
        return Stream.of(
                VerifierCase.valid("template over timestamp, URL and body", requestTo(URL, "", BODY,
                        "X-Acme-Signature", templatedSignature(t, URL), "X-Acme-Timestamp", t)),
                VerifierCase.rejected("no signature", requestTo(URL, "", BODY, "X-Acme-Timestamp", t),
                        Rejection.MISSING_SIGNATURE),
                VerifierCase.rejected("without the prefix", requestTo(URL, "", BODY, "X-Acme-Signature",
                        templatedSignature(t, URL).substring(3), "X-Acme-Timestamp", t), Rejection.UNSUPPORTED_SCHEME),
                VerifierCase.rejected("not base64", requestTo(URL, "", BODY, "X-Acme-Signature", "v1=*not base64*",
                        "X-Acme-Timestamp", t), Rejection.MALFORMED_SIGNATURE),
                VerifierCase.rejected("hex where base64 is expected", requestTo(URL, "", BODY, "X-Acme-Signature",
                        "v1=" + hmacHex("HmacSHA512", SECRET, BODY), "X-Acme-Timestamp", t),
                        Rejection.SIGNATURE_MISMATCH),
                VerifierCase.rejected("no timestamp", requestTo(URL, "", BODY, "X-Acme-Signature",
                        templatedSignature(t, URL)), Rejection.MISSING_TIMESTAMP),
                VerifierCase.rejected("stale", requestTo(URL, "", BODY, "X-Acme-Signature",
                        templatedSignature(seconds(-400), URL), "X-Acme-Timestamp", seconds(-400)),
                        Rejection.STALE_TIMESTAMP),
                VerifierCase.rejected("future", requestTo(URL, "", BODY, "X-Acme-Signature",
                        templatedSignature(seconds(400), URL), "X-Acme-Timestamp", seconds(400)),
                        Rejection.FUTURE_TIMESTAMP),
                VerifierCase.rejected("signed for another URL", requestTo(URL, "", BODY, "X-Acme-Signature",
                        templatedSignature(t, URL + "/x"), "X-Acme-Timestamp", t), Rejection.SIGNATURE_MISMATCH));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("templatedTable")
    void verifiesATemplatedScheme(VerifierCase row) {
        Verifiers.check(templated, row);
    }

    @Test
    void verifiesThePlainBodyScheme() {
        Verifiers.check(plain, VerifierCase.valid("hex of the body",
                requestTo(URL, "", BODY, "X-Signature", hmacHex("HmacSHA256", SECRET, BODY))));
        Verifiers.check(plain, VerifierCase.rejected("tampered",
                requestTo(URL, "", utf8("{}"), "X-Signature", hmacHex("HmacSHA256", SECRET, BODY)),
                Rejection.SIGNATURE_MISMATCH));
    }

    @Test
    void aTemplateNamingAMissingHeaderIsRefused() {
        HmacSignatureVerifier needsHeader = verifier(new HmacScheme("X-Signature", "HmacSHA256",
                SignatureEncoding.HEX, Optional.empty(), ContentTemplate.parse("{header:X-Request-Id}:{body}"),
                Optional.empty(), TimeUnit.SECONDS));
        Verifiers.check(needsHeader, VerifierCase.rejected("missing signed header",
                requestTo(URL, "", BODY, "X-Signature", hmacHex("HmacSHA256", SECRET, BODY)),
                Rejection.MISSING_SIGNATURE));
    }

    @Test
    void unknownAlgorithmsAndPlaceholdersAreConfigurationErrors() {
        assertThrows(IllegalArgumentException.class, () -> verifier(new HmacScheme("X-Signature", "HmacNope",
                SignatureEncoding.HEX, Optional.empty(), ContentTemplate.BODY, Optional.empty(), TimeUnit.SECONDS)));
        assertThrows(IllegalArgumentException.class, () -> ContentTemplate.parse("{bodies}"));
        assertThrows(IllegalArgumentException.class, () -> ContentTemplate.parse("{body"));
    }
}
