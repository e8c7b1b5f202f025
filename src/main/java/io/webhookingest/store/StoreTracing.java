package io.webhookingest.store;

import jakarta.inject.Singleton;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;

/**
 * The CLIENT span of a group commit's insert, a child of the span current when the insert starts (the delivery whose
 * write started it), made only when that span is recorded: a batch whose deliveries are not sampled costs one look
 * at the current context.
 * <p>
 * This stands in for Quarkus's instrumentation of the reactive client
 * ({@code quarkus.otel.instrument.vertx-sql-client}, turned off), which asked of every HTTP request whether it was a
 * query by building all of the request's tags: about a fiftieth of the application's CPU per delivery when nothing is
 * sampled.
 */
@Singleton
public class StoreTracing {

    private static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("db.system.name");
    private static final AttributeKey<String> OPERATION = AttributeKey.stringKey("db.operation.name");
    private static final AttributeKey<String> COLLECTION = AttributeKey.stringKey("db.collection.name");
    private static final AttributeKey<Long> BATCH_SIZE = AttributeKey.longKey("db.operation.batch.size");

    private final Tracer tracer;

    StoreTracing(Tracer tracer) {
        this.tracer = tracer;
    }

    /** The span of an insert of {@code events} events, or the invalid span when the current one is not recorded. */
    Span start(int events) {
        Context current = Context.current();
        if (!Span.fromContext(current).isRecording()) {
            return Span.getInvalid();
        }
        return tracer.spanBuilder("INSERT event").setSpanKind(SpanKind.CLIENT).setParent(current)
                .setAttribute(SYSTEM, "postgresql")
                .setAttribute(OPERATION, "INSERT")
                .setAttribute(COLLECTION, "event")
                .setAttribute(BATCH_SIZE, (long) events)
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
