package io.webhookingest.verify;

import java.time.Instant;
import java.util.Objects;

/**
 * A nonce the sender signed, which must not be seen again while its timestamp is inside the window. The store
 * records it in the same statement that stores the event, so a replay is refused and nothing half-written remains.
 *
 * @param nonce     the signed nonce
 * @param expiresAt after this instant the timestamp check alone refuses a replay, so the nonce can be forgotten
 */
public record ReplayGuard(String nonce, Instant expiresAt) {

    public ReplayGuard {
        Objects.requireNonNull(nonce);
        Objects.requireNonNull(expiresAt);
    }
}
