package io.webhookingest.verify;

/** Why a delivery failed verification. Every rejection is answered 401 with the reason in the problem document. */
public enum Rejection {

    NO_SECRET("no_secret", "The source has no secret configured", Category.SIGNATURE),
    MISSING_SIGNATURE("missing_signature", "Missing signature", Category.SIGNATURE),
    MALFORMED_SIGNATURE("malformed_signature", "Malformed signature", Category.SIGNATURE),
    UNSUPPORTED_SCHEME("unsupported_scheme", "Unsupported signature scheme", Category.SIGNATURE),
    SIGNATURE_MISMATCH("signature_mismatch", "Invalid signature", Category.SIGNATURE),
    MISSING_TIMESTAMP("missing_timestamp", "Missing timestamp", Category.TIMESTAMP),
    MALFORMED_TIMESTAMP("malformed_timestamp", "Malformed timestamp", Category.TIMESTAMP),
    STALE_TIMESTAMP("stale_timestamp", "Timestamp too old", Category.TIMESTAMP),
    FUTURE_TIMESTAMP("future_timestamp", "Timestamp in the future", Category.TIMESTAMP),
    REPLAYED("replayed", "Replayed request", Category.REPLAY);

    /** The broad kind of a rejection, for metrics and alerts. */
    public enum Category {
        SIGNATURE, TIMESTAMP, REPLAY
    }

    private final String reason;
    private final String title;
    private final Category category;

    Rejection(String reason, String title, Category category) {
        this.reason = reason;
        this.title = title;
        this.category = category;
    }

    /** The machine-readable reason, as it appears in problem documents. */
    public String reason() {
        return reason;
    }

    public String title() {
        return title;
    }

    public Category category() {
        return category;
    }
}
