package io.webhookingest.store;

/**
 * The database did not confirm a commit within the store timeout. Unlike {@link StoreBusyException}, the insert may
 * still commit after the answer, so the sender's retry may find the event stored and be answered as a duplicate.
 */
public class StoreTimeoutException extends StoreUnavailableException {

    public StoreTimeoutException(String message) {
        super(message, null);
    }
}
