package io.webhookingest.store;

/**
 * The life of a stored event. {@code event.status} holds what became of it; a pending event is stored as published
 * and is told apart only by its row in {@code event_outbox}, which the relay deletes once the broker acknowledged it,
 * so that publishing never rewrites the event row.
 */
public enum EventStatus {

    /** Committed and waiting for the relay. */
    PENDING("pending", "published"),
    /** The broker acknowledged it. */
    PUBLISHED("published", "published"),
    /** Kept for the record, never published (a provider's verification ping). */
    RECORDED("recorded", "recorded"),
    /** A signed delivery that could not be read; kept, never published until released. */
    QUARANTINED("quarantined", "quarantined"),
    /** A quarantined delivery whose events an operator released; kept as the record of what arrived. */
    RELEASED("released", "released"),
    /** The broker refused it for good (too large, invalid or unauthorized topic); kept until an operator replays it. */
    FAILED("failed", "failed");

    private final String label;
    private final String column;

    EventStatus(String label, String column) {
        this.label = label;
        this.column = column;
    }

    /** The status as the API reports it. */
    public String label() {
        return label;
    }

    /** The value stored in the status column. */
    public String column() {
        return column;
    }
}
