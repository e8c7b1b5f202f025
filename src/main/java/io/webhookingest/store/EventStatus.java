package io.webhookingest.store;

/** The life of a stored event, as kept in {@code event.status}. */
public enum EventStatus {

    /** Committed and waiting for the relay. */
    PENDING("pending"),
    /** The broker acknowledged it. */
    PUBLISHED("published"),
    /** Kept for the record, never published (a provider's verification ping). */
    RECORDED("recorded"),
    /** A signed delivery that could not be read; kept, never published until released. */
    QUARANTINED("quarantined"),
    /** A quarantined delivery whose events an operator released; kept as the record of what arrived. */
    RELEASED("released"),
    /** The broker refused it for good (too large, invalid or unauthorized topic); kept until an operator replays it. */
    FAILED("failed");

    private final String column;

    EventStatus(String column) {
        this.column = column;
    }

    /** The value stored in the status column. */
    public String column() {
        return column;
    }

    public static EventStatus ofColumn(String column) {
        for (EventStatus status : values()) {
            if (status.column.equals(column)) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown event status " + column);
    }
}
