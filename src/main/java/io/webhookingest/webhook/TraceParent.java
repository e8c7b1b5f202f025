package io.webhookingest.webhook;

import java.util.Map;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;

/**
 * The W3C {@code traceparent} of a trace context, as stored with an event and carried on its Kafka record, so that
 * an event published later, possibly by another instance, stays in the trace of the request that delivered it.
 */
public final class TraceParent {

    public static final String HEADER = "traceparent";

    private static final TextMapGetter<Map<String, String>> FROM_MAP = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private TraceParent() {
    }

    /** The current trace context's traceparent, or null outside any trace. */
    public static String current() {
        SpanContext span = Span.current().getSpanContext();
        if (!span.isValid()) {
            return null;
        }
        return "00-" + span.getTraceId() + '-' + span.getSpanId() + '-' + span.getTraceFlags().asHex();
    }

    /**
     * Whether a traceparent is well formed (version {@code 00}, ids not all zero) and says its trace is not sampled:
     * read from the string itself, as it is asked once per published event.
     */
    public static boolean isUnsampled(String traceParent) {
        return traceParent != null && traceParent.length() == 55 && traceParent.startsWith("00-")
                && traceParent.charAt(35) == '-' && traceParent.charAt(52) == '-'
                && TraceId.isValid(traceParent.subSequence(3, 35)) && SpanId.isValid(traceParent.subSequence(36, 52))
                && isLowerHex(traceParent.charAt(53)) && isLowerHex(traceParent.charAt(54))
                && (Character.digit(traceParent.charAt(54), 16) & 1) == 0;
    }

    private static boolean isLowerHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    }

    /**
     * The trace context a stored traceparent names, as a local parent: it was this service's own context when the
     * delivery arrived, so a span under it follows the sampling decision made then. The root context when there is
     * none, or when it does not parse.
     */
    public static Context parse(String traceParent) {
        if (traceParent == null) {
            return Context.root();
        }
        SpanContext remote = Span.fromContext(W3CTraceContextPropagator.getInstance().extract(Context.root(),
                Map.of(HEADER, traceParent), FROM_MAP)).getSpanContext();
        if (!remote.isValid()) {
            return Context.root();
        }
        return Context.root().with(Span.wrap(SpanContext.create(remote.getTraceId(), remote.getSpanId(),
                remote.getTraceFlags(), remote.getTraceState())));
    }
}
