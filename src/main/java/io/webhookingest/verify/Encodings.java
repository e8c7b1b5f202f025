package io.webhookingest.verify;

import java.util.Base64;
import java.util.Optional;

/** Strict decoding of signature values: anything malformed is empty, never an exception. */
public final class Encodings {

    /** Longer signature values are refused before decoding; the largest real MAC (SHA-512) is 128 hex characters. */
    public static final int MAX_ENCODED_LENGTH = 1024;

    private Encodings() {
    }

    /** Decodes hex, either case; empty for odd lengths, foreign characters or oversized values. */
    public static Optional<byte[]> hex(String value) {
        int length = value.length();
        if (length == 0 || length % 2 != 0 || length > MAX_ENCODED_LENGTH) {
            return Optional.empty();
        }
        byte[] bytes = new byte[length / 2];
        for (int i = 0; i < length; i += 2) {
            int high = Character.digit(value.charAt(i), 16);
            int low = Character.digit(value.charAt(i + 1), 16);
            if (high < 0 || low < 0) {
                return Optional.empty();
            }
            bytes[i / 2] = (byte) (high << 4 | low);
        }
        return Optional.of(bytes);
    }

    /** Decodes standard base64 with padding; empty for malformed or oversized values. */
    public static Optional<byte[]> base64(String value) {
        if (value.isEmpty() || value.length() > MAX_ENCODED_LENGTH) {
            return Optional.empty();
        }
        try {
            return Optional.of(Base64.getDecoder().decode(value));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
