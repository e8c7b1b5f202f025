package io.webhookingest.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Secrets sealed with AES-256-GCM: readable under the key that sealed them, bound to their row, keys rotatable. */
class SecretCipherTest {

    static final String OLD_KEY = key('o');
    static final String NEW_KEY = key('n');

    final SecretCipher old = new SecretCipher(Optional.of(OLD_KEY), List.of());
    final SecretCipher rotated = new SecretCipher(Optional.of(NEW_KEY), List.of(OLD_KEY));

    @Test
    void aSealedSecretOpensUnderItsKeyOnlyForItsOwnRow() {
        SecretCipher.Sealed sealed = old.seal("github", "0a1b2c3d", "s3cret");

        assertEquals(Optional.of("s3cret"), old.open("github", "0a1b2c3d", sealed));
        assertEquals(Optional.empty(), old.open("stripe", "0a1b2c3d", sealed), "bound to its source");
        assertEquals(Optional.empty(), old.open("github", "ffffffff", sealed), "bound to its fingerprint");
        byte[] tampered = sealed.bytes().clone();
        tampered[tampered.length - 1] ^= 1;
        assertEquals(Optional.empty(), old.open("github", "0a1b2c3d", new SecretCipher.Sealed(sealed.keyId(),
                tampered)), "an altered row is refused");
        assertEquals(12 + "s3cret".length() + 16, sealed.bytes().length, "a 96-bit nonce and a 128-bit tag");
        assertFalse(new String(sealed.bytes(), StandardCharsets.ISO_8859_1).contains("s3cret"));
        assertFalse(Arrays.equals(sealed.bytes(), old.seal("github", "0a1b2c3d", "s3cret").bytes()),
                "a fresh nonce for every sealing");
    }

    @Test
    void afterRotationOldRowsStillOpenAndNewOnesNameTheNewKey() {
        SecretCipher.Sealed underOld = old.seal("github", "0a1b2c3d", "s3cret");
        SecretCipher.Sealed underNew = rotated.seal("github", "0a1b2c3d", "s3cret");

        assertEquals(Optional.of("s3cret"), rotated.open("github", "0a1b2c3d", underOld));
        assertNotEquals(underOld.keyId(), underNew.keyId());
        assertEquals(rotated.currentKeyId().orElseThrow(), underNew.keyId());
        assertEquals(Optional.empty(), old.open("github", "0a1b2c3d", underNew), "the old key cannot read new rows");
        assertEquals(Optional.empty(), new SecretCipher(Optional.of(NEW_KEY), List.of())
                .open("github", "0a1b2c3d", underOld), "a removed key's rows cannot be read");
    }

    @Test
    void fingerprintsAreShortKeyedAndStable() {
        String fingerprint = old.fingerprint("s3cret").orElseThrow();
        assertTrue(fingerprint.matches("[0-9a-f]{8}"), fingerprint);
        assertEquals(fingerprint, new SecretCipher(Optional.of(OLD_KEY), List.of()).fingerprint("s3cret")
                .orElseThrow(), "the same on every instance");
        assertNotEquals(fingerprint, rotated.fingerprint("s3cret").orElseThrow(), "keyed: no key, no guessing");
        assertNotEquals(fingerprint, old.fingerprint("s3cret2").orElseThrow());
        assertEquals(Optional.empty(), new SecretCipher(Optional.empty(), List.of()).fingerprint("s3cret"));
        assertFalse(new SecretCipher(Optional.empty(), List.of()).canSeal());
    }

    @Test
    void aKeyThatIsNotThirtyTwoBase64BytesIsRefusedWithoutEchoingIt() {
        IllegalStateException shortKey = assertThrows(IllegalStateException.class,
                () -> new SecretCipher(Optional.of(Base64.getEncoder().encodeToString(new byte[16])), List.of()));
        assertTrue(shortKey.getMessage().contains("32 bytes"), shortKey.getMessage());
        IllegalStateException notBase64 = assertThrows(IllegalStateException.class,
                () -> new SecretCipher(Optional.of("not base64 at all!"), List.of()));
        assertFalse(notBase64.getMessage().contains("not base64 at all!"), notBase64.getMessage());
    }

    private static String key(char fill) {
        return Base64.getEncoder().encodeToString(String.valueOf(fill).repeat(32).getBytes());
    }
}
