package io.webhookingest.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** Shared assertions and the pinned clock of the verifier tables. */
final class Verifiers {

    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private Verifiers() {
    }

    static void check(SignatureVerifier verifier, VerifierCase row) {
        Verdict verdict = verifier.verify(row.request());
        if (row.rejection() == null) {
            assertTrue(verdict.isValid(), () -> "expected valid, got " + verdict);
            assertEquals(row.secret(), verdict.secret(), "the secret reported as having signed it");
        } else {
            assertEquals(row.rejection(), verdict.rejection(), () -> verdict.detail());
            assertFalse(verdict.detail().isBlank(), "a rejection explains itself");
        }
    }

    static String seconds(long offsetSeconds) {
        return Long.toString(NOW.getEpochSecond() + offsetSeconds);
    }
}
