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

    /** True when {@code signature} is the MAC of the concatenated {@code content} under any of the keys. */
    public boolean anyMatches(byte[] signature, byte[]... content) {
        return anyMatches(List.of(signature), content);
    }

    /**
     * True when any of the candidate signatures is the MAC of the concatenated {@code content} under any of the keys,
     * for schemes that send several signatures at once.
     */
    public boolean anyMatches(List<byte[]> candidates, byte[]... content) {
        for (ThreadLocal<Mac> perThread : macs) {
            Mac mac = perThread.get();
            for (byte[] part : content) {
                mac.update(part);
            }
            byte[] expected = mac.doFinal();
            for (byte[] candidate : candidates) {
                if (MessageDigest.isEqual(expected, candidate)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Mac newMac(String algorithm, byte[] key) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key, algorithm));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use " + algorithm + ": " + e.getMessage(), e);
        }
    }
}
