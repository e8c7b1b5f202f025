package io.webhookingest.ingest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.webhookingest.config.IngestConfig;
import io.webhookingest.webhook.WebhookRequest;

/**
 * {@code POST /webhooks/{source}}, and {@code POST /webhooks/{source}/{tail}} for providers that put part of the
 * event in the URL they sign: the hot path, served by Vert.x routes directly rather than through the REST layer, which
 * saves its dispatch and request-context work on every delivery.
 * <p>
 * The body is read here, as raw bytes whatever the content type, within the source's limit
 * ({@code ingest.sources.<name>.max-body-size}, else {@code ingest.max-body-size}): a declared {@code Content-Length}
 * over it is refused before anything is read, an upload without one is cut off as soon as it crosses it. Other
 * methods get 405. Every error is a problem document.
 */
@ApplicationScoped
public class WebhookRoutes {

    static final String PREFIX = "/webhooks/";
    /** The most memory reserved up front for a body, whatever length the sender declares. */
    static final int MAX_PREALLOCATION = 64 * 1024;

    private final IngestService ingest;
    private final WebhookResponses responses;
    private final long defaultLimit;

    WebhookRoutes(IngestService ingest, WebhookResponses responses, IngestConfig config) {
        this.ingest = ingest;
        this.responses = responses;
        this.defaultLimit = config.maxBodySize().asLongValue();
    }

    void install(@Observes Router router) {
        router.post("/webhooks/:source").order(-100).handler(this::receive);
        router.post("/webhooks/:source/*").order(-100).handler(this::receive);
        router.route("/webhooks/*").order(-99).handler(context -> write(context, responses.methodNotAllowed()));
    }

    private void receive(RoutingContext context) {
        HttpServerRequest request = context.request();
        String source = context.pathParam("source");
        long limit = ingest.maxBodySize(source).orElse(defaultLimit);
        if (declaredLength(request) > limit) {
            ingest.tooLarge(source);
            refuse(context, limit);
            return;
        }
        if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
            context.response().writeContinue();
        }
        Buffer body = Buffer.buffer((int) Math.max(0, Math.min(declaredLength(request), MAX_PREALLOCATION)));
        request.handler(chunk -> {
            if (context.response().ended()) {
                return;
            }
            if (body.length() + chunk.length() > limit) {
                ingest.tooLarge(source);
                refuse(context, limit);
            } else {
                body.appendBuffer(chunk);
            }
        });
        request.endHandler(ended -> {
            if (!context.response().ended()) {
                handle(context, source, body.getBytes());
            }
        });
        request.resume();
    }

    private void handle(RoutingContext context, String source, byte[] body) {
        HttpServerRequest http = context.request();
        WebhookRequest request = new WebhookRequest(body, http.headers(), pathTail(http.path()),
                http.query() == null ? "" : http.query(), http.absoluteURI());
        ingest.ingest(source, request).onComplete(outcome -> write(context, outcome.succeeded()
                ? responses.toAnswer(outcome.result()) : responses.unavailable(outcome.cause())));
    }

    /** Answers 413; on HTTP/1.x the connection then closes, so the rest of the upload is never read. */
    private void refuse(RoutingContext context, long limit) {
        write(context, responses.tooLarge(limit)).onComplete(sent -> {
            if (context.request().version() != HttpVersion.HTTP_2) {
                context.request().connection().close();
            }
        });
    }

    private static Future<Void> write(RoutingContext context, HttpAnswer answer) {
        HttpServerResponse response = context.response();
        if (response.ended() || response.closed()) {
            return Future.succeededFuture();
        }
        MultiMap headers = response.headers();
        headers.set(HttpHeaders.CONTENT_TYPE, answer.contentType());
        answer.headers().forEach(headers::set);
        return response.setStatusCode(answer.status()).end(Buffer.buffer(answer.body()));
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
