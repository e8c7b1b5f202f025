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
    record Secret(String fingerprint, String notAfter, String lastVerifiedAt, boolean expired) {
    }

    @TemplateData
    record Source(String name, String origin, boolean enabled, String provider, String topic, List<String> routes,
            String maxBodySize, List<Secret> secrets, String lastAccepted, String lastRejected, List<String> problems) {
    }
}
