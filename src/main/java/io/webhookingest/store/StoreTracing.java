package io.webhookingest.store;

import java.util.List;

import jakarta.inject.Singleton;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.quarkus.arc.ClientProxy;
import io.webhookingest.webhook.TraceParent;

/**
 * The CLIENT span of a group commit's insert (and of the lookup that may follow it), made only when one of the
 * batch's deliveries was sampled: a child of the first such delivery's span, linked to the others'. Each event
 * carries its delivery's trace context, so the span follows the batch, whichever delivery's write or earlier batch
 * started it; a batch of unsampled deliveries costs a look at each event's traceparent.
 * <p>
 * This stands in for Quarkus's instrumentation of the reactive client
 * ({@code quarkus.otel.instrument.vertx-sql-client}, turned off), which asked of every HTTP request whether it was a
 * query by building all of the request's tags (about a fiftieth of the application's CPU per delivery when nothing is
 * sampled), and put the insert in the trace of whatever context was current when it started.
 */
@Singleton
public class StoreTracing {

    private static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("db.system.name");
    private static final AttributeKey<String> OPERATION = AttributeKey.stringKey("db.operation.name");
    private static final AttributeKey<String> COLLECTION = AttributeKey.stringKey("db.collection.name");
    private static final AttributeKey<Long> BATCH_SIZE = AttributeKey.longKey("db.operation.batch.size");

    /** The tracer itself rather than its client proxy, which looks the bean up on every call. */
    private final Tracer tracer;

    StoreTracing(Tracer tracer) {
        this.tracer = ClientProxy.unwrap(tracer);
    }

    /** The span of an insert of these events, or the invalid span when none of their deliveries was sampled. */
    Span start(List<NewEvent> events) {
        SpanBuilder span = null;
        for (NewEvent event : events) {
            if (event.traceParent() == null || TraceParent.isUnsampled(event.traceParent())) {
                continue;
            }
            Context parent = TraceParent.parse(event.traceParent());
            SpanContext delivery = Span.fromContext(parent).getSpanContext();
            if (!delivery.isSampled()) {
                continue;
            }
            if (span == null) {
                span = tracer.spanBuilder("INSERT event").setSpanKind(SpanKind.CLIENT).setParent(parent);
            } else {
                span.addLink(delivery);
            }
        }
        if (span == null) {
            return Span.getInvalid();
        }
        return span.setAttribute(SYSTEM, "postgresql")
                .setAttribute(OPERATION, "INSERT")
                .setAttribute(COLLECTION, "event")
                .setAttribute(BATCH_SIZE, (long) events.size())
                .startSpan();
    }

    void end(Span span, Throwable failure) {
        if (failure != null) {
            span.recordException(failure);
            span.setStatus(StatusCode.ERROR);
        }
        span.end();
    }
}
