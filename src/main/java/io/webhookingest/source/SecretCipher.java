package io.webhookingest.source;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.runtime.LaunchMode;
import io.webhookingest.config.DemoSecrets;
import io.webhookingest.config.IngestConfig;

/**
 * Seals the secrets of managed sources for Postgres with AES-256-GCM under {@code ingest.secrets.key}, and names each
 * secret by a fingerprint that reveals nothing without that key. A sealed secret is bound to its source and
 * fingerprint, and names the key it was sealed under, so the key can be rotated: earlier keys stay readable from
 * {@code ingest.secrets.previous-keys}.
 */
@ApplicationScoped
public class SecretCipher {

    /** A sealed secret: the id of its key, and the nonce followed by the ciphertext and tag. */
    public record Sealed(String keyId, byte[] bytes) {
    }

    private static final String KEY_PREFIX = "ingest.secrets.";
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final byte[] FINGERPRINT_LABEL = "webhook-ingest secret fingerprint".getBytes(StandardCharsets.UTF_8);
    private static final byte[] KEY_ID_LABEL = "webhook-ingest key id".getBytes(StandardCharsets.UTF_8);

    private final SecureRandom random = new SecureRandom();
    private final Optional<SecretKeySpec> current;
    private final Optional<String> currentId;
    private final Map<String, SecretKeySpec> byId;
    private final Optional<SecretKeySpec> fingerprintKey;

    @Inject
    SecretCipher(IngestConfig config) {
        this(config.secrets().key(), config.secrets().previousKeys().orElse(List.of()));
    }

    SecretCipher(Optional<String> key, List<String> previousKeys) {
        Map<String, SecretKeySpec> keys = new LinkedHashMap<>();
        this.current = key.filter(k -> !k.isBlank()).map(k -> aesKey(KEY_PREFIX + "key", k));
        this.currentId = current.map(SecretCipher::idOf);
        current.ifPresent(k -> keys.put(idOf(k), k));
        previousKeys.stream().filter(k -> !k.isBlank())
                .map(k -> aesKey(KEY_PREFIX + "previous-keys", k)).forEach(k -> keys.putIfAbsent(idOf(k), k));
        this.byId = Map.copyOf(keys);
        this.fingerprintKey = current.map(k -> new SecretKeySpec(hmac(k.getEncoded(), FINGERPRINT_LABEL), "HmacSHA256"));
    }

    public boolean canSeal() {
        return current.isPresent();
    }

    /** The id of the key new secrets are sealed under. */
    public Optional<String> currentKeyId() {
        return currentId;
    }

    /**
     * The first 8 hex digits of the HMAC-SHA256 of the secret under a key derived from the current one; empty when
     * no key is configured.
     */
    public Optional<String> fingerprint(String secret) {
        return fingerprintKey.map(key -> HexFormat.of().formatHex(
                hmac(key.getEncoded(), secret.getBytes(StandardCharsets.UTF_8)), 0, 4));
    }

    public Sealed seal(String source, String fingerprint, String secret) {
        SecretKeySpec key = current.orElseThrow(() -> new IllegalStateException(KEY_PREFIX + "key is not configured"));
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData(source, fingerprint));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return new Sealed(currentId.orElseThrow(), ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce)
                    .put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** The secret; empty when its key is not configured, or the row was altered or moved. */
    public Optional<String> open(String source, String fingerprint, Sealed sealed) {
        SecretKeySpec key = byId.get(sealed.keyId());
        if (key == null || sealed.bytes().length <= NONCE_BYTES) {
            return Optional.empty();
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed.bytes(), 0, NONCE_BYTES));
            cipher.updateAAD(associatedData(source, fingerprint));
            byte[] plain = cipher.doFinal(sealed.bytes(), NONCE_BYTES, sealed.bytes().length - NONCE_BYTES);
            return Optional.of(new String(plain, StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            return Optional.empty();
        }
    }

    private static byte[] associatedData(String source, String fingerprint) {
        return (source + "\n" + fingerprint).getBytes(StandardCharsets.UTF_8);
    }

    private static SecretKeySpec aesKey(String name, String encoded) {
        if (LaunchMode.current() == LaunchMode.NORMAL && DemoSecrets.isDemo(encoded)) {
            throw new IllegalStateException(name + " holds the demo key of the dev profile, which anyone can read in"
                    + " the source code; generate one with openssl rand -base64 32");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(encoded.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(name + " must be base64 (openssl rand -base64 32)");
        }
        if (bytes.length != KEY_BYTES) {
            throw new IllegalStateException(name + " must decode to 32 bytes (an AES-256 key), not " + bytes.length);
        }
        return new SecretKeySpec(bytes, "AES");
    }

    private static String idOf(SecretKeySpec key) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(KEY_ID_LABEL);
            return HexFormat.of().formatHex(digest.digest(key.getEncoded()), 0, 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
