package io.webhookingest.webhook;

import jakarta.inject.Singleton;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.quarkus.arc.ClientProxy;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * The SERVER span of each delivery, under the trace context its sender sent ({@code traceparent}), current on the
 * request's Vert.x context until the answer is sent: the events it stores keep that context ({@link TraceParent}),
 * and the insert's span is its child. The sampler decides whether it is recorded ({@link TraceSampling}); only a
 * recorded span is given its attributes.
 * <p>
 * This stands in for Quarkus's instrumentation of every HTTP request ({@code quarkus.otel.instrument.vertx-http},
 * turned off), which extracted the attributes of every request whether or not its span would be recorded: about a
 * twelfth of the application's CPU per delivery when nothing is sampled.
 */
@Singleton
public class IngressTracing {

    static final String ROUTE = "/webhooks/:source";

    private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    private static final AttributeKey<String> ROUTE_KEY = AttributeKey.stringKey("http.route");
    private static final AttributeKey<String> PATH = AttributeKey.stringKey("url.path");
    private static final AttributeKey<String> SCHEME = AttributeKey.stringKey("url.scheme");
    private static final AttributeKey<String> PROTOCOL = AttributeKey.stringKey("network.protocol.version");
    private static final AttributeKey<String> USER_AGENT = AttributeKey.stringKey("user_agent.original");
    private static final AttributeKey<String> CLIENT = AttributeKey.stringKey("client.address");
    private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");

    private static final TextMapGetter<MultiMap> FROM_HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(MultiMap headers) {
            return headers.names();
        }

        @Override
        public String get(MultiMap headers, String key) {
            return headers == null ? null : headers.get(key);
        }
    };

    /** The tracer itself rather than its client proxy, which looks the bean up on every call. */
    private final Tracer tracer;

    IngressTracing(Tracer tracer) {
        this.tracer = ClientProxy.unwrap(tracer);
    }

    /** Starts the delivery's span, current from now on this request's context; it ends with the answer. */
    public void start(RoutingContext routing) {
        HttpServerRequest request = routing.request();
        Context parent = W3CTraceContextPropagator.getInstance().extract(Context.root(), request.headers(),
                FROM_HEADERS);
        Span span = tracer.spanBuilder(request.method().name() + " " + ROUTE).setSpanKind(SpanKind.SERVER)
                .setParent(parent).startSpan();
        if (span.isRecording()) {
            span.setAttribute(METHOD, request.method().name());
            span.setAttribute(ROUTE_KEY, ROUTE);
            span.setAttribute(PATH, request.path());
            span.setAttribute(SCHEME, request.scheme());
            span.setAttribute(PROTOCOL, request.version().alpnName());
            String userAgent = request.getHeader("User-Agent");
            if (userAgent != null) {
                span.setAttribute(USER_AGENT, userAgent);
            }
            if (request.remoteAddress() != null) {
                span.setAttribute(CLIENT, request.remoteAddress().hostAddress());
            }
        }
        Scope scope = parent.with(span).makeCurrent();
        routing.addEndHandler(ended -> {
            if (span.isRecording()) {
                int status = routing.response().getStatusCode();
                span.setAttribute(STATUS, (long) status);
                if (status >= 500 || ended.failed()) {
                    span.setStatus(StatusCode.ERROR);
                }
            }
            span.end();
            scope.close();
        });
    }
}
