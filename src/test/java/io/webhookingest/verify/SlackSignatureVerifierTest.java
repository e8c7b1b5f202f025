package io.webhookingest.verify;

import static io.webhookingest.testing.Requests.request;
import static io.webhookingest.testing.Signatures.hmacHex;
import static io.webhookingest.testing.Signatures.utf8;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.webhookingest.testing.Fixtures;

class SlackSignatureVerifierTest {

    /** Slack's documented example: this signing secret, timestamp, body and signature. */
    static final String DOCS_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
    static final String DOCS_TIMESTAMP = "1531420618";
    static final byte[] DOCS_BODY = Fixtures.bytes("slack", "docs-example.txt");
    static final String DOCS_SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

    static final Clock AT_DOCS_TIME = Clock.fixed(Instant.ofEpochSecond(Long.parseLong(DOCS_TIMESTAMP)),
            ZoneOffset.UTC);

    final SlackSignatureVerifier verifier = new SlackSignatureVerifier(List.of(DOCS_SECRET),
            new TimestampWindow(Duration.ofMinutes(5), AT_DOCS_TIME));

    static String signAt(long timestamp) {
        return "v0=" + hmacHex("HmacSHA256", DOCS_SECRET, utf8("v0:" + timestamp + ":"), DOCS_BODY);
    }

    static Stream<VerifierCase> table() {
        long docs = Long.parseLong(DOCS_TIMESTAMP);
        return Stream.of(
                VerifierCase.valid("Slack's documented example", request(DOCS_BODY, "X-Slack-Signature",
                        DOCS_SIGNATURE, "X-Slack-Request-Timestamp", DOCS_TIMESTAMP)),
                VerifierCase.rejected("six minutes old", request(DOCS_BODY, "X-Slack-Signature", signAt(docs - 360),
                        "X-Slack-Request-Timestamp", Long.toString(docs - 360)), Rejection.STALE_TIMESTAMP),
                VerifierCase.rejected("six minutes ahead", request(DOCS_BODY, "X-Slack-Signature", signAt(docs + 360),
                        "X-Slack-Request-Timestamp", Long.toString(docs + 360)), Rejection.FUTURE_TIMESTAMP),
                VerifierCase.rejected("no signature", request(DOCS_BODY, "X-Slack-Request-Timestamp",
                        DOCS_TIMESTAMP), Rejection.MISSING_SIGNATURE),
                VerifierCase.rejected("no timestamp", request(DOCS_BODY, "X-Slack-Signature", DOCS_SIGNATURE),
                        Rejection.MISSING_TIMESTAMP),
                VerifierCase.rejected("version v1", request(DOCS_BODY, "X-Slack-Signature",
                        DOCS_SIGNATURE.replace("v0=", "v1="), "X-Slack-Request-Timestamp", DOCS_TIMESTAMP),
                        Rejection.UNSUPPORTED_SCHEME),
                VerifierCase.rejected("body changed", request(utf8("token=x"), "X-Slack-Signature", DOCS_SIGNATURE,
                        "X-Slack-Request-Timestamp", DOCS_TIMESTAMP), Rejection.SIGNATURE_MISMATCH),
                VerifierCase.rejected("timestamp changed", request(DOCS_BODY, "X-Slack-Signature", DOCS_SIGNATURE,
                        "X-Slack-Request-Timestamp", Long.toString(docs + 1)), Rejection.SIGNATURE_MISMATCH),
                VerifierCase.rejected("not hex", request(DOCS_BODY, "X-Slack-Signature", "v0=xyz",
                        "X-Slack-Request-Timestamp", DOCS_TIMESTAMP), Rejection.MALFORMED_SIGNATURE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void verifies(VerifierCase row) {
        Verifiers.check(verifier, row);
    }
}
