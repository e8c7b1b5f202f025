package io.webhookingest.store;

/**
 * The store could not confirm a delivery's commit: the database failed or is unreachable, or (the subclasses) too
 * many deliveries wait or the commit was not confirmed in time. The sender is told to retry (503). Any other failure
 * on the way is a defect, not a reason to make the sender retry forever.
 */
public class StoreUnavailableException extends RuntimeException {

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
