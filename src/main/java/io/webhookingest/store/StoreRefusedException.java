package io.webhookingest.store;

/**
 * Postgres refused a delivery's data on its own (a data exception, an integrity or limit violation), so retrying it
 * would fail again: the delivery is kept in quarantine instead, and its sender is not told to retry forever.
 */
public class StoreRefusedException extends RuntimeException {

    public StoreRefusedException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
