package io.webhookingest.ingest;

import java.util.List;
import java.util.UUID;

import io.webhookingest.store.StoredEvent;
import io.webhookingest.verify.Verdict;

/** What became of one delivery. Each kind maps to one HTTP answer. */
public sealed interface IngestResult {

    /** Committed (or already stored): 200. */
    record Stored(List<StoredEvent> events) implements IngestResult {
    }

    /** The signature check failed: 401. */
    record Rejected(Verdict verdict) implements IngestResult {
    }

    /** Signed, but the body is unusable: 400. The raw request is kept as the quarantined event {@code kept}. */
    record Malformed(String detail, UUID kept) implements IngestResult {
    }

    /** A provider's endpoint check, answered with its challenge and stored nowhere: 200. */
    record Challenge(String challenge) implements IngestResult {
    }
}
