package io.webhookingest.admin;

import java.time.Instant;
import java.util.UUID;

/** One event in a listing; its body and headers are in the detail. */
public record EventSummary(UUID id, String source, String type, String subject, String status, Instant receivedAt) {
}
