package io.webhookingest.store;

/**
 * The store did not take a delivery: too many are waiting for an insert, or this one waited past its deadline.
 * Nothing of it was written, so the sender's retry is safe.
 */
public class StoreBusyException extends StoreUnavailableException {

    public StoreBusyException(String message) {
        super(message, null);
    }
}
