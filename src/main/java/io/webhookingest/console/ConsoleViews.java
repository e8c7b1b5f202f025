package io.webhookingest.console;

import java.util.List;

import io.quarkus.qute.TemplateData;

/** What the console's templates show: plain values, already formatted, so that templates hold no logic. */
final class ConsoleViews {

    private ConsoleViews() {
    }

    /** A source's chart: its name and the per-minute series as JSON, read by console.js. */
    @TemplateData
    record Chart(String source, String data, long accepted, long rejected) {
    }

    /** What the relay is doing, cluster-wide backlog figures and this instance's role. */
    @TemplateData
    record Relay(boolean publishing, long backlog, long oldestAgeSeconds, long failed, long quarantined,
            long quarantinedOldestAgeSeconds, String lastFailure) {
    }

    @TemplateData
    record Rejection(String receivedAt, String source, int status, String reason, String detail, String hint,
            String remoteAddress, String headerNames, String bodySize, String bodySha256) {
    }

    @TemplateData
    record EventRow(String id, String receivedAt, String source, String type, String subject, String status) {
    }

    /** A header as stored, or one the Kafka record carries. */
    @TemplateData
    record Header(String name, String value) {
    }

    /**
     * One event in full: its body shown as pretty JSON when it parses, as text when it is UTF-8, else as hex; the
     * Kafka record as it was or will be published; and what an operator can do with it.
     */
    @TemplateData
    record Event(String id, String source, String identity, String type, String subject, String status,
            String receivedAt, String reason, String url, List<Header> headers, String body, String bodyForm,
            String bodyBase64, int bodySize, String recordTopic, String recordKey, List<Header> recordHeaders,
            String recordValue, boolean replayable, boolean quarantined, List<Step> history) {
    }

    /** A step of an event's history: {@code kind} as the API names it, {@code what} in words. */
    @TemplateData
    record Step(String at, String kind, String what, String detail) {
    }

    @TemplateData
    record Secret(String fingerprint, String notAfter, String lastVerifiedAt, boolean expired) {
    }

    @TemplateData
    record Source(String name, String origin, boolean enabled, String provider, String topic, List<String> routes,
            String maxBodySize, List<Secret> secrets, String lastAccepted, String lastRejected, List<String> problems) {
    }
}
