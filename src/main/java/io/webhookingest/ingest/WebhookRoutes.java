package io.webhookingest.ingest;

import java.time.Duration;
import java.util.Optional;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.netty.buffer.Unpooled;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.webhookingest.config.IngestConfig;
import io.webhookingest.source.Source;
import io.webhookingest.webhook.IngressTracing;
import io.webhookingest.webhook.WebhookRequest;

/**
 * {@code POST /webhooks/{source}}, and {@code POST /webhooks/{source}/{tail}} for providers that put part of the
 * event in the URL they sign: the hot path, served by Vert.x routes directly rather than through the REST layer, which
 * saves its dispatch and request-context work on every delivery. It is all the public port serves.
 * <p>
 * Nothing is spent on a request before it has earned it. An unknown source, another method or another path is
 * answered before the body is read, and the connection is then closed, so the upload is never kept. A declared
 * {@code Content-Length} over the source's limit ({@code ingest.sources.<name>.max-body-size}, else
 * {@code ingest.max-body-size}) is refused likewise, an upload without one as soon as it crosses the limit. Every body
 * is reserved in the {@link InflightBudget} first (its declared length before it is read, else as it grows); a
 * delivery that does not fit is answered 503 with {@code Retry-After}. A sender that falls behind the pace its
 * declared length calls for, or has not delivered its whole body within {@code ingest.read-timeout}, is answered 408
 * and cut off. Every error is a problem document.
 */
@ApplicationScoped
public class WebhookRoutes {

    static final String PREFIX = "/webhooks/";
    /** How often a delivery's progress is checked against its pace and the read timeout. */
    static final long PACE_CHECK_MILLIS = 1000;
    /** How far behind its pace a sender may fall: a few TCP windows. */
    static final long PACE_SLACK = 256 * 1024;
    /** After a refusal, the most of an unread body dropped before the connection closes, and for how long. */
    static final long LINGER_BYTES = 1024 * 1024;
    static final long LINGER_MILLIS = 2000;

    private final IngestService ingest;
    private final WebhookResponses responses;
    private final InflightBudget budget;
    private final DeliveryMetrics metrics;
    private final Refusals refusals;
    private final IngressTracing tracing;
    private final Vertx vertx;
    private final Deadlines paceChecks;
    private final long readTimeoutNanos;

    WebhookRoutes(IngestService ingest, WebhookResponses responses, InflightBudget budget, DeliveryMetrics metrics,
            Refusals refusals, IngressTracing tracing, Vertx vertx, IngestConfig config) {
        this.refusals = refusals;
        this.tracing = tracing;
        this.ingest = ingest;
        this.responses = responses;
        this.budget = budget;
        this.metrics = metrics;
        this.vertx = vertx;
        this.readTimeoutNanos = config.readTimeout().toNanos();
        this.paceChecks = new Deadlines(vertx, Duration.ofMillis(PACE_CHECK_MILLIS), Deadlines.TICK);
    }

    @PreDestroy
    void stopPaceChecks() {
        paceChecks.close();
    }

    void install(@Observes Router router) {
        router.post("/webhooks/:source").order(-100).handler(this::receive);
        router.post("/webhooks/:source/*").order(-100).handler(this::receive);
        router.route("/webhooks/*").order(-99).handler(context -> refuseUnread(context, responses.methodNotAllowed()));
        // Before Quarkus's static resources, which would otherwise serve the webjars on this port.
        router.route().order(-98).handler(context -> refuseUnread(context, responses.notHere()));
    }

    private void receive(RoutingContext context) {
        HttpServerRequest request = context.request();
        String name = context.pathParam("source");
        Optional<Source> found = ingest.source(name);
        if (found.isEmpty() || !found.get().rehearsal()) {
            tracing.start(context);
        }
        if (found.isEmpty()) {
            metrics.rejected(DeliveryMetrics.UNKNOWN_SOURCE, DeliveryMetrics.UNKNOWN_SOURCE_REASON);
            HttpAnswer answer = responses.unknownSource(name);
            refuseUnread(context, answer);
            refusals.unknownSource(request, name, answer);
            return;
        }
        Source source = found.get();
        long limit = source.maxBodySize();
        long declared = declaredLength(request);
        if (declared > limit) {
            metrics.rejected(name, DeliveryMetrics.TOO_LARGE);
            HttpAnswer answer = responses.tooLarge(limit);
            refuseUnread(context, answer);
            refusals.tooLarge(request, source, answer);
            return;
        }
        InflightBudget.Reservation reservation = budget.open();
        if (!reservation.growTo(Math.max(0, declared))) {
            metrics.overloaded(name);
            refuseUnread(context, responses.overloaded());
            return;
        }
        Delivery delivery = new Delivery(context, source, limit, declared, reservation);
        if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
            context.response().writeContinue();
        }
        request.handler(delivery::chunk);
        request.endHandler(ended -> delivery.received());
        request.resume();
    }

    /**
     * One delivery's body as it arrives, until it is handed to the pipeline or refused. A sender holding a reservation
     * must keep pace: by any moment, the share of its declared body that the elapsed share of the read timeout calls
     * for, less {@link #PACE_SLACK}; one that sends headers and then trickles is cut off within seconds, so that
     * reservations cannot be held without sending the bytes.
     */
    private final class Delivery {

        private final RoutingContext context;
        private final Source source;
        private final long limit;
        private final long declared;
        private final InflightBudget.Reservation reservation;
        private final BodyBuffer body;
        private final long started = System.nanoTime();
        private Deadlines.Deadline paceCheck;
        private boolean handedOver;

        Delivery(RoutingContext context, Source source, long limit, long declared,
                InflightBudget.Reservation reservation) {
            this.context = context;
            this.source = source;
            this.limit = limit;
            this.declared = declared;
            this.reservation = reservation;
            this.body = new BodyBuffer(declared, limit);
            this.paceCheck = paceChecks.set(this::checkPace);
            // Also on a dropped connection: the bytes go unless the pipeline holds them.
            context.addEndHandler(ended -> {
                paceCheck.clear();
                if (!handedOver) {
                    reservation.release();
                }
            });
        }

        void chunk(Buffer chunk) {
            if (context.response().ended()) {
                return;
            }
            if (body.length() + (long) chunk.length() > limit) {
                metrics.rejected(source.name(), DeliveryMetrics.TOO_LARGE);
                HttpAnswer answer = responses.tooLarge(limit);
                refuseUnread(context, answer);
                refusals.tooLarge(context.request(), source, answer);
            } else if (!reservation.growTo(body.capacityFor(chunk.length()))) {
                metrics.overloaded(source.name());
                refuseUnread(context, responses.overloaded());
            } else {
                body.append(chunk);
            }
        }

        void received() {
            paceCheck.clear();
            if (context.response().ended()) {
                return;
            }
            HttpServerRequest http = context.request();
            String url = http.absoluteURI() != null ? http.absoluteURI() : http.uri();
            byte[] bytes = body.toBytes();
            IngestService.Ingestion ingestion = ingest.ingest(source, new WebhookRequest(bytes,
                    http.headers(), pathTail(http.path()), http.query() == null ? "" : http.query(), url));
            handedOver = true;
            Promise<Void> logged = Promise.promise();
            Future.all(ingestion.bodyReleased(), logged.future()).onComplete(released -> reservation.release());
            ingestion.answer().onComplete(outcome -> {
                if (outcome.failed()) {
                    write(context, responses.unavailable(outcome.cause()));
                    logged.complete();
                    return;
                }
                HttpAnswer answer = responses.toAnswer(outcome.result());
                write(context, answer);
                refusals.answered(http, source, outcome.result(), answer, bytes)
                        .onComplete(recorded -> logged.complete());
            });
        }

        private void checkPace() {
            if (context.request().isEnded() || context.response().ended()) {
                return;
            }
            long elapsed = System.nanoTime() - started;
            boolean late = elapsed >= readTimeoutNanos;
            boolean behind = declared > 0
                    && body.length() < (long) (declared * ((double) elapsed / readTimeoutNanos)) - PACE_SLACK;
            if (late || behind) {
                metrics.rejected(source.name(), DeliveryMetrics.TIMEOUT);
                HttpAnswer answer = responses.requestTimeout(readTimeoutNanos / 1_000_000_000);
                refuseUnread(context, answer);
                refusals.timedOut(context.request(), source, answer);
            } else {
                paceCheck = paceChecks.set(this::checkPace);
            }
        }
    }

    /**
     * Answers a request whose body is not (wholly) read. On HTTP/1.x the answer says {@code Connection: close}, and the
     * connection then lingers briefly, reading and dropping what the sender still sends (at most
     * {@link #LINGER_BYTES} or {@link #LINGER_MILLIS}), so that closing it does not reset the answer away before the
     * sender reads it; nothing is kept. On HTTP/2 the complete answer is followed by {@code RST_STREAM(NO_ERROR)},
     * which asks the sender to stop sending the request without an error (RFC 9113, 8.1), and reading stops.
     */
    private void refuseUnread(RoutingContext context, HttpAnswer answer) {
        HttpServerRequest request = context.request();
        if (request.isEnded()) {
            write(context, answer);
            return;
        }
        if (request.version() == HttpVersion.HTTP_2) {
            request.pause();
            write(context, answer).onComplete(sent -> context.response().reset(0));
            return;
        }
        context.response().headers().set(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
        long[] dropped = {0};
        long timer = vertx.setTimer(LINGER_MILLIS, expired -> request.connection().close());
        Runnable close = () -> {
            vertx.cancelTimer(timer);
            request.connection().close();
        };
        request.handler(chunk -> {
            dropped[0] += chunk.length();
            if (dropped[0] > LINGER_BYTES) {
                close.run();
            }
        });
        request.endHandler(ended -> close.run());
        write(context, answer);
        request.resume();
    }

    private static Future<Void> write(RoutingContext context, HttpAnswer answer) {
        HttpServerResponse response = context.response();
        if (response.ended() || response.closed()) {
            return Future.succeededFuture();
        }
        MultiMap headers = response.headers();
        headers.set(HttpHeaders.CONTENT_TYPE, answer.contentType());
        answer.headers().forEach(headers::set);
        return response.setStatusCode(answer.status()).end(Buffer.buffer(Unpooled.wrappedBuffer(answer.body())));
    }

    /** The raw (still percent-encoded) path after {@code /webhooks/{source}}, as the sender wrote it. */
    public static String pathTail(String rawPath) {
        int sourceStart = rawPath.indexOf(PREFIX) + PREFIX.length();
        int tailStart = rawPath.indexOf('/', sourceStart);
        return tailStart < 0 ? "" : rawPath.substring(tailStart);
    }

    private static long declaredLength(HttpServerRequest request) {
        String declared = request.getHeader(HttpHeaders.CONTENT_LENGTH);
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
