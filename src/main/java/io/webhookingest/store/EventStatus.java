package io.webhookingest.store;

/** The life of a stored event, as kept in {@code event.status}. */
public enum EventStatus {

    /** Committed and waiting for the relay. */
    PENDING("pending"),
    /** The broker acknowledged it. */
    PUBLISHED("published"),
    /** Kept for the record, never published (a provider's verification ping). */
    RECORDED("recorded");

    private final String column;

    EventStatus(String column) {
        this.column = column;
    }

    /** The value stored in the status column. */
    public String column() {
        return column;
    }
}
