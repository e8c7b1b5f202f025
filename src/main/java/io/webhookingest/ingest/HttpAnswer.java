package io.webhookingest.ingest;

import java.util.Map;

/**
 * An HTTP answer to a delivery, ready to write: status, content type, extra headers and body bytes.
 */
public record HttpAnswer(int status, String contentType, Map<String, String> headers, byte[] body) {
}
