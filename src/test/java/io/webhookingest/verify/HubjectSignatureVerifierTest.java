package io.webhookingest.verify;

import static io.webhookingest.testing.Requests.request;
import static io.webhookingest.testing.Signatures.hmacHex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.webhookingest.testing.Fixtures;

class HubjectSignatureVerifierTest {

    static final String SECRET = "endpoint-secret";
    static final byte[] BODY = Fixtures.bytes("hubject", "root-cert-added.json");
    static final String DIGEST = hmacHex("HmacSHA256", SECRET, BODY);

    final HubjectSignatureVerifier verifier = new HubjectSignatureVerifier(List.of("old-secret", SECRET));

    @Test
    void acceptsTheDocumentedFormWithEitherLiveSecret() {
        assertTrue(verifier.verify(request(BODY, "X-Hubject-Signature", "sha256=" + DIGEST)).isValid());
        assertTrue(verifier.verify(request(BODY, "X-Hubject-Signature",
                "sha256=" + hmacHex("HmacSHA256", "old-secret", BODY))).isValid());
    }

    @Test
    void headerNameIsCaseInsensitiveAndHexCaseDoesNotMatter() {
        assertTrue(verifier.verify(request(BODY, "x-hubject-signature",
                "sha256=" + DIGEST.toUpperCase(Locale.ROOT))).isValid());
    }

    static Stream<Arguments> rejections() {
        return Stream.of(
                Arguments.of("missing header", new String[] {}, Rejection.MISSING_SIGNATURE),
                Arguments.of("other secret", new String[] {"X-Hubject-Signature",
                        "sha256=" + hmacHex("HmacSHA256", "wrong", BODY)}, Rejection.SIGNATURE_MISMATCH),
                Arguments.of("sha512 prefix", new String[] {"X-Hubject-Signature", "sha512=" + DIGEST},
                        Rejection.UNSUPPORTED_SCHEME),
                Arguments.of("odd length", new String[] {"X-Hubject-Signature", "sha256=" + DIGEST.substring(1)},
                        Rejection.MALFORMED_SIGNATURE),
                Arguments.of("not hex", new String[] {"X-Hubject-Signature", "sha256=" + "g".repeat(64)},
                        Rejection.MALFORMED_SIGNATURE),
                Arguments.of("huge", new String[] {"X-Hubject-Signature", "sha256=" + "a".repeat(100_000)},
                        Rejection.MALFORMED_SIGNATURE),
                Arguments.of("prefix only", new String[] {"X-Hubject-Signature", "sha256="},
                        Rejection.MALFORMED_SIGNATURE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejections")
    void rejects(String name, String[] headers, Rejection expected) {
        assertEquals(expected, verifier.verify(request(BODY, headers)).rejection());
    }

    @Test
    void rejectsATamperedBody() {
        byte[] tampered = BODY.clone();
        tampered[10] ^= 1;
        assertEquals(Rejection.SIGNATURE_MISMATCH,
                verifier.verify(request(tampered, "X-Hubject-Signature", "sha256=" + DIGEST)).rejection());
    }
}
