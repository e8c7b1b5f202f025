package io.webhookingest.webhook;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;

/**
 * Who decides which traces are recorded: this service, never its callers. A sender's {@code traceparent} is
 * continued (its trace id goes on to the stored event and the Kafka record) but its sampled flag is ignored, and so
 * is its trace id as a source of randomness (a caller could pick ids that a trace-id-ratio sampler always keeps): a
 * trace that starts at a request here is recorded with the configured probability,
 * {@code quarkus.otel.traces.sampler.arg}, drawn at random. Spans whose parent is local, including a publication
 * whose parent is the stored context of the request that delivered it, follow their parent's decision.
 */
public class TraceSampling {

    @Produces
    @Singleton
    Sampler sampler(@ConfigProperty(name = "quarkus.otel.traces.sampler.arg", defaultValue = "0.0") double ratio) {
        return new IngressSampler(ratio);
    }

    static final class IngressSampler implements Sampler {

        private final double ratio;

        IngressSampler(double ratio) {
            this.ratio = ratio;
        }

        @Override
        public SamplingResult shouldSample(Context parentContext, String traceId, String name, SpanKind spanKind,
                Attributes attributes, List<LinkData> parentLinks) {
            SpanContext parent = Span.fromContext(parentContext).getSpanContext();
            boolean sampled = parent.isValid() && !parent.isRemote() ? parent.isSampled()
                    : ratio > 0 && ThreadLocalRandom.current().nextDouble() < ratio;
            return sampled ? SamplingResult.recordAndSample() : SamplingResult.drop();
        }

        @Override
        public String getDescription() {
            return "IngressSampler{ratio=" + ratio + ", remote parents' decisions ignored}";
        }
    }
}
