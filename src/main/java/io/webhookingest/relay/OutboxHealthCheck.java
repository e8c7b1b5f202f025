package io.webhookingest.relay;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Reports the relay's state in the readiness details: backlog, oldest age, whether this instance publishes, and when
 * it last failed. The failure's cause is not shown: anyone who can reach the probe could read it; the admin API's
 * {@code GET /admin/relay} has it. It is always UP: a broker outage must not take instances out of service, because
 * deliveries are still accepted and stored; the backlog shows it instead.
 */
@Readiness
@ApplicationScoped
public class OutboxHealthCheck implements HealthCheck {

    private final OutboxBacklog backlog;
    private final OutboxRelay relay;

    OutboxHealthCheck(OutboxBacklog backlog, OutboxRelay relay) {
        this.backlog = backlog;
        this.relay = relay;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("outbox").up()
                .withData("backlog", backlog.size())
                .withData("oldestAgeSeconds", backlog.oldestAge().toSeconds())
                .withData("failed", backlog.failed())
                .withData("publishing", relay.isPublishing());
        OutboxRelay.Failure failure = relay.lastFailure();
        if (failure != null) {
            response.withData("lastFailureAt", failure.at().toString());
        }
        return response.build();
    }
}
