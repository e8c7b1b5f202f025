package io.webhookingest.relay;

import java.nio.charset.StandardCharsets;

import jakarta.inject.Singleton;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.quarkus.arc.ClientProxy;
import io.webhookingest.webhook.TraceParent;

/**
 * Publishes each event under a PRODUCER span in the trace of the request that delivered it, and carries that span's
 * context on the Kafka record as {@code traceparent}, so consumers continue the same trace. A publication follows the
 * sampling decision taken when its delivery arrived ({@code TraceSampling}): when that was not to record, there is no
 * span to make, and the record carries the delivery's own context, unsampled.
 */
@Singleton
public class PublishTracing {

    private static final TextMapSetter<Headers> TO_HEADERS = (headers, key, value) -> {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    };

    /** The tracer itself rather than its client proxy, which looks the bean up on every call. */
    private final Tracer tracer;

    PublishTracing(Tracer tracer) {
        this.tracer = ClientProxy.unwrap(tracer);
    }

    Span start(PendingEvent event, ProducerRecord<String, byte[]> record) {
        if (TraceParent.isUnsampled(event.traceParent())) {
            record.headers().add(TraceParent.HEADER, event.traceParent().getBytes(StandardCharsets.UTF_8));
            return Span.getInvalid();
        }
        Span span = tracer.spanBuilder(event.topic() + " publish")
                .setSpanKind(SpanKind.PRODUCER)
                .setParent(TraceParent.parse(event.traceParent()))
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.operation.type", "publish")
                .setAttribute("messaging.destination.name", event.topic())
                .setAttribute("messaging.message.id", event.id().toString())
                .startSpan();
        W3CTraceContextPropagator.getInstance().inject(Context.root().with(span), record.headers(), TO_HEADERS);
        return span;
    }

    void end(Span span, Throwable failure) {
        if (failure != null) {
            span.recordException(failure);
            span.setStatus(StatusCode.ERROR);
        }
        span.end();
    }
}
