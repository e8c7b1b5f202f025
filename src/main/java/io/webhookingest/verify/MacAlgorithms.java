package io.webhookingest.verify;

import java.util.List;
import java.util.Set;

/**
 * Which MAC algorithms a source accepts, for schemes that let the sender or the configuration choose one (xpanse
 * names it in every request; {@code hmac} is configured). A scheme that takes the sender's word for the algorithm
 * must not let it pick a weak one, so only an allow-list is accepted.
 */
public final class MacAlgorithms {

    /** The default allow-list: SHA-2 MACs of at least 256 bits. */
    public static final List<String> DEFAULT = List.of("HmacSHA256", "HmacSHA384", "HmacSHA512");
    /** Algorithms whose hash is broken or deprecated for new designs; allowing one weakens the source. */
    public static final Set<String> WEAK = Set.of("HmacMD5", "HmacSHA1");

    private MacAlgorithms() {
    }
}
