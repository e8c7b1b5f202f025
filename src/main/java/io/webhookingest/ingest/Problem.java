package io.webhookingest.ingest;

import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem document. {@code reason} is the stable, machine-readable cause; {@code detail} says what to fix
 * in a sentence; {@code quarantinedEvent} names the stored copy of a delivery that could not be read.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String reason, UUID quarantinedEvent) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(int status, String reason, String title, String detail) {
        return new Problem("urn:problem:webhook-ingest:" + reason, title, status, detail, reason, null);
    }

    public Problem withQuarantinedEvent(UUID id) {
        return new Problem(type, title, status, detail, reason, id);
    }
}
