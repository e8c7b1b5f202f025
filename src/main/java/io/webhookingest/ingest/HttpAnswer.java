package io.webhookingest.ingest;

import java.util.Map;
import java.util.Optional;

/**
 * An HTTP answer to a delivery, ready to write: status, content type, extra headers and body bytes, and the problem
 * document those bytes encode, when it is one.
 */
public record HttpAnswer(int status, String contentType, Map<String, String> headers, byte[] body,
        Optional<Problem> problem) {
}
