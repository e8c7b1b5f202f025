package io.webhookingest.verify;

import java.util.Optional;

/** How a configured scheme writes its MAC into the header. */
public enum SignatureEncoding {

    HEX {
        @Override
        Optional<byte[]> decode(String value) {
            return Encodings.hex(value);
        }
    },
    BASE64 {
        @Override
        Optional<byte[]> decode(String value) {
            return Encodings.base64(value);
        }
    };

    abstract Optional<byte[]> decode(String value);
}
