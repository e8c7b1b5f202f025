package io.webhookingest.verify;

import static io.webhookingest.testing.Requests.request;
import static io.webhookingest.testing.Signatures.hmacHex;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.webhookingest.testing.Fixtures;

class GitHubSignatureVerifierTest {

    /** GitHub's documented example: this secret, this payload, this signature. */
    static final String DOCS_SECRET = "It's a Secret to Everybody";
    static final byte[] DOCS_PAYLOAD = Fixtures.bytes("github", "docs-example.txt");
    static final String DOCS_SIGNATURE = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    final GitHubSignatureVerifier verifier = new GitHubSignatureVerifier(List.of(DOCS_SECRET));

    static Stream<VerifierCase> table() {
        return Stream.of(
                VerifierCase.valid("GitHub's documented example",
                        request(DOCS_PAYLOAD, "X-Hub-Signature-256", DOCS_SIGNATURE)),
                VerifierCase.rejected("only the legacy SHA-1 header", request(DOCS_PAYLOAD, "X-Hub-Signature",
                        "sha1=" + hmacHex("HmacSHA1", DOCS_SECRET, DOCS_PAYLOAD)), Rejection.MISSING_SIGNATURE),
                VerifierCase.rejected("sha1 prefix", request(DOCS_PAYLOAD, "X-Hub-Signature-256",
                        "sha1=" + hmacHex("HmacSHA1", DOCS_SECRET, DOCS_PAYLOAD)), Rejection.UNSUPPORTED_SCHEME),
                VerifierCase.rejected("payload changed", request("Hello, World?".getBytes(), "X-Hub-Signature-256",
                        DOCS_SIGNATURE), Rejection.SIGNATURE_MISMATCH),
                VerifierCase.rejected("another secret", request(DOCS_PAYLOAD, "X-Hub-Signature-256",
                        "sha256=" + hmacHex("HmacSHA256", "other", DOCS_PAYLOAD)), Rejection.SIGNATURE_MISMATCH),
                VerifierCase.rejected("not hex", request(DOCS_PAYLOAD, "X-Hub-Signature-256", "sha256=nothex!"),
                        Rejection.MALFORMED_SIGNATURE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void verifies(VerifierCase row) {
        Verifiers.check(verifier, row);
    }
}
