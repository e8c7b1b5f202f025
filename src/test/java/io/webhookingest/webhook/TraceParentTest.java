package io.webhookingest.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;

class TraceParentTest {

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(nullValues = "null", value = {
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00, true",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-02, true",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01, false",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-03, false",
        "00-00000000000000000000000000000000-00f067aa0ba902b7-00, false",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-00, false",
        "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00, false",
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-00, false",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0g, false",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7_00, false",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-000, false",
        "null, false"})
    void unsampledOnlyWhenWellFormedAndTheSampledFlagIsClear(String traceParent, boolean unsampled) {
        assertEquals(unsampled, TraceParent.isUnsampled(traceParent));
    }

    @ParameterizedTest(name = "flags {0}")
    @CsvSource({"01", "00"})
    void theCurrentTraceParentIsWhatTheW3cPropagatorWrites(String flags) {
        SpanContext span = SpanContext.createFromRemoteParent("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7",
                TraceFlags.fromHex(flags, 0), TraceState.getDefault());
        try (Scope scope = Context.root().with(Span.wrap(span)).makeCurrent()) {
            Map<String, String> injected = new HashMap<>();
            W3CTraceContextPropagator.getInstance().inject(Context.current(), injected, Map::put);

            assertEquals("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-" + flags, TraceParent.current());
            assertEquals(injected.get(TraceParent.HEADER), TraceParent.current());
        }
    }

    @Test
    void thereIsNoCurrentTraceParentOutsideATrace() {
        assertNull(TraceParent.current());
        try (Scope scope = Context.root().with(Span.wrap(SpanContext.getInvalid())).makeCurrent()) {
            assertNull(TraceParent.current(), "nor under a span of no trace");
        }
    }
}
