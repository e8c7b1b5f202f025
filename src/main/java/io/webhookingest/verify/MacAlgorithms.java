package io.webhookingest.verify;

import java.util.Locale;
import java.util.Set;

/**
 * Which MAC algorithms a source accepts, for schemes that let the sender or the configuration choose one (xpanse
 * names it in every request; {@code hmac} is configured): an allow-list, {@code signature.algorithms}, so that a
 * request cannot pick a weak one. Algorithm names are compared ignoring case, as {@code Mac.getInstance} does.
 */
public final class MacAlgorithms {

    /** Algorithms whose hash is broken or deprecated for new designs; allowing one weakens the source. */
    static final Set<String> WEAK = Set.of("hmacmd5", "hmacsha1");

    private MacAlgorithms() {
    }

    public static boolean isWeak(String algorithm) {
        return WEAK.contains(algorithm.toLowerCase(Locale.ROOT));
    }
}
