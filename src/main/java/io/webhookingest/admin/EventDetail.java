package io.webhookingest.admin;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One event with everything stored about it: the raw body (as text when it is UTF-8, always as base64), the request
 * headers as received minus credentials, why it is quarantined if it is, and its history.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EventDetail(UUID id, String source, String identity, String type, String subject, String status,
        String topic, Instant receivedAt, String reason, String url, JsonNode headers, String body, String bodyBase64,
        List<HistoryEntry> history) {
}
