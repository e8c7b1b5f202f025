package io.webhookingest.verify;

import java.util.Objects;

/**
 * A nonce the sender signed, which must never be seen again: the store records it in the same statement that stores
 * the event, as one of its keys, so a replay is refused and nothing half-written remains. It is kept as long as any
 * key, at least the retention, far longer than a signed timestamp's window.
 *
 * @param nonce the signed nonce
 */
public record ReplayGuard(String nonce) {

    public ReplayGuard {
        Objects.requireNonNull(nonce);
    }
}
