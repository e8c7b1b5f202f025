package io.webhookingest.verify;

/** Why a delivery failed verification. Every rejection is answered 401 with the reason in the problem document. */
public enum Rejection {

    NO_SECRET("no_secret", "The source has no secret configured"),
    MISSING_SIGNATURE("missing_signature", "Missing signature"),
    MALFORMED_SIGNATURE("malformed_signature", "Malformed signature"),
    UNSUPPORTED_SCHEME("unsupported_scheme", "Unsupported signature scheme"),
    SIGNATURE_MISMATCH("signature_mismatch", "Invalid signature");

    private final String reason;
    private final String title;

    Rejection(String reason, String title) {
        this.reason = reason;
        this.title = title;
    }

    /** The machine-readable reason, as it appears in problem documents. */
    public String reason() {
        return reason;
    }

    public String title() {
        return title;
    }
}
