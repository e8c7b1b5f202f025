package io.webhookingest.testing;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;

/**
 * Collects finished spans in memory, in place of the OTLP exporter, for tests that record traces. Traces are only
 * recorded where a test profile turns sampling on.
 */
public class InMemorySpans {

    @Produces
    @Singleton
    InMemorySpanExporter exporter() {
        return InMemorySpanExporter.create();
    }
}
