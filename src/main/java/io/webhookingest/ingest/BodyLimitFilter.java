package io.webhookingest.ingest;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.webhookingest.config.IngestConfig;

/**
 * Refuses a delivery whose declared {@code Content-Length} exceeds its source's limit (the default limit for unknown
 * sources) before the body is read, so an oversized upload costs neither memory nor bandwidth. Bodies sent without a
 * length are checked once read.
 */
@ApplicationScoped
public class BodyLimitFilter {

    private final IngestService ingest;
    private final WebhookResponses responses;
    private final DeliveryMetrics metrics;
    private final long defaultLimit;

    BodyLimitFilter(IngestService ingest, WebhookResponses responses, DeliveryMetrics metrics, IngestConfig config) {
        this.ingest = ingest;
        this.responses = responses;
        this.metrics = metrics;
        this.defaultLimit = config.maxBodySize().asLongValue();
    }

    void install(@Observes Router router) {
        router.post("/webhooks/:source").order(-100).handler(this::check);
        router.post("/webhooks/:source/*").order(-100).handler(this::check);
    }

    private void check(RoutingContext context) {
        Optional<Long> sourceLimit = ingest.maxBodySize(context.pathParam("source"));
        long limit = sourceLimit.orElse(defaultLimit);
        if (declaredLength(context) <= limit) {
            context.next();
            return;
        }
        metrics.tooLarge(sourceLimit.isPresent() ? context.pathParam("source") : DeliveryMetrics.UNKNOWN_SOURCE);
        Response problem = responses.tooLarge(limit);
        context.response().setStatusCode(problem.getStatus());
        problem.getHeaders().forEach((name, values) -> values.forEach(
                value -> context.response().headers().add(name, String.valueOf(value))));
        context.response().end(Buffer.buffer((byte[]) problem.getEntity()));
    }

    private static long declaredLength(RoutingContext context) {
        String declared = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (declared == null) {
            return -1;
        }
        try {
            return Long.parseLong(declared.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
