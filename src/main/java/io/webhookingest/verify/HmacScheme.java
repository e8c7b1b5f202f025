package io.webhookingest.verify;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A signature scheme described by configuration alone.
 *
 * @param header          the header carrying the signature
 * @param algorithm       a Java {@code Mac} algorithm, e.g. {@code HmacSHA256}
 * @param encoding        how the MAC is written
 * @param prefix          text before the encoded MAC, e.g. {@code sha256=}
 * @param content         what is signed
 * @param timestampHeader a header carrying the send time, checked against the window
 * @param timestampUnit   the unit of that time, seconds or milliseconds since the epoch
 */
public record HmacScheme(String header, String algorithm, SignatureEncoding encoding, Optional<String> prefix,
        ContentTemplate content, Optional<String> timestampHeader, TimeUnit timestampUnit) {

    public HmacScheme {
        Objects.requireNonNull(header);
        Objects.requireNonNull(algorithm);
        Objects.requireNonNull(encoding);
        Objects.requireNonNull(content);
        if (timestampUnit != TimeUnit.SECONDS && timestampUnit != TimeUnit.MILLISECONDS) {
            throw new IllegalArgumentException("a timestamp is in seconds or milliseconds");
        }
    }
}
