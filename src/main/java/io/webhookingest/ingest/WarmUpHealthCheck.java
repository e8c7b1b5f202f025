package io.webhookingest.ingest;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness waits for the warm-up: a load balancer sends an instance deliveries only once its JIT is through. */
@Readiness
@ApplicationScoped
public class WarmUpHealthCheck implements HealthCheck {

    static final String NAME = "warm-up";

    private final WarmUp warmUp;

    WarmUpHealthCheck(WarmUp warmUp) {
        this.warmUp = warmUp;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named(NAME).status(!warmUp.warming()).withData("rehearsed", warmUp.accepted())
                .build();
    }
}
