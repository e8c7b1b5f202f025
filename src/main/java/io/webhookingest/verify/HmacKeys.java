package io.webhookingest.verify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.List;
import java.util.function.Supplier;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The live keys of one source for one HMAC algorithm. A signature is accepted when the MAC under any of them matches;
 * comparisons are constant-time. Each thread keeps its own initialised {@link Mac} per key, so the hot path neither
 * looks up providers nor re-keys.
 */
public final class HmacKeys {

    /** What {@link #matching} answers when no key signed the content. */
    public static final int NO_MATCH = -1;

    private final String algorithm;
    private final List<ThreadLocal<Mac>> macs;

    private HmacKeys(String algorithm, List<Supplier<Mac>> macs) {
        if (macs.isEmpty()) {
            throw new IllegalArgumentException("at least one key is required");
        }
        this.algorithm = algorithm;
        this.macs = macs.stream().map(ThreadLocal::withInitial).toList();
        this.macs.get(0).get();
    }

    /** Keys given as secret strings, used as their UTF-8 bytes, the way most providers document it. */
    public static HmacKeys ofSecrets(String algorithm, List<String> secrets) {
        return ofBytes(algorithm, secrets.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList());
    }

    /** Keys given as raw bytes, for schemes whose secrets are encoded (Standard Webhooks' {@code whsec_}). */
    public static HmacKeys ofBytes(String algorithm, List<byte[]> keys) {
        return new HmacKeys(algorithm, keys.stream().<Supplier<Mac>>map(key -> () -> newMac(algorithm, key)).toList());
    }

    /** Keys as ready {@link Mac}s, one supplier per key and thread; lets a test count what is computed. */
    static HmacKeys ofMacs(String algorithm, List<Supplier<Mac>> macs) {
        return new HmacKeys(algorithm, macs);
    }

    public String algorithm() {
        return algorithm;
    }

    /** The length in bytes of this algorithm's MAC. */
    public int macLength() {
        return macs.get(0).get().getMacLength();
    }

    /**
     * The index of the first key under which {@code signature} is the MAC of the concatenated {@code content}, or
     * {@link #NO_MATCH}.
     */
    public int matching(byte[] signature, byte[]... content) {
        return matching(List.of(signature), content);
    }

    /**
     * The index of the first key under which any of the candidate signatures is the MAC of the concatenated
     * {@code content}, or {@link #NO_MATCH}; for schemes that send several signatures at once.
     */
    public int matching(List<byte[]> candidates, byte[]... content) {
        for (int key = 0; key < macs.size(); key++) {
            Mac mac = macs.get(key).get();
            for (byte[] part : content) {
                mac.update(part);
            }
            byte[] expected = mac.doFinal();
            for (byte[] candidate : candidates) {
                if (MessageDigest.isEqual(expected, candidate)) {
                    return key;
                }
            }
        }
        return NO_MATCH;
    }

    /** A {@link Mac} of this algorithm keyed with {@code key}, for one thread. */
    public static Mac newMac(String algorithm, byte[] key) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key, algorithm));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use " + algorithm + ": " + e.getMessage(), e);
        }
    }
}
