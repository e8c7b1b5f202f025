package io.webhookingest.testing;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Signs test deliveries the way providers do, independently of the code under test. */
public final class Signatures {

    private Signatures() {
    }

    public static byte[] hmac(String algorithm, byte[] key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key, algorithm));
            for (byte[] part : parts) {
                mac.update(part);
            }
            return mac.doFinal();
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    public static String hmacHex(String algorithm, String secret, byte[]... parts) {
        return HexFormat.of().formatHex(hmac(algorithm, secret.getBytes(StandardCharsets.UTF_8), parts));
    }

    public static String hmacBase64(String algorithm, String secret, byte[]... parts) {
        return Base64.getEncoder().encodeToString(hmac(algorithm, secret.getBytes(StandardCharsets.UTF_8), parts));
    }

    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
