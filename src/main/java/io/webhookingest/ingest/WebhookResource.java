package io.webhookingest.ingest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestPath;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.webhookingest.webhook.WebhookRequest;

/**
 * {@code POST /webhooks/{source}}, and {@code POST /webhooks/{source}/{tail}} for providers that put part of the
 * event in the URL they sign. The body is taken as raw bytes, whatever its content type.
 */
@Path("/webhooks/{source}")
@Consumes(MediaType.WILDCARD)
public class WebhookResource {

    private static final String PREFIX = "/webhooks/";

    private final IngestService ingest;
    private final WebhookResponses responses;

    WebhookResource(IngestService ingest, WebhookResponses responses) {
        this.ingest = ingest;
        this.responses = responses;
    }

    @POST
    public Uni<Response> receive(@RestPath String source, byte[] body, HttpServerRequest http) {
        return handle(source, body, http);
    }

    @POST
    @Path("{tail: .+}")
    public Uni<Response> receiveWithTail(@RestPath String source, byte[] body, HttpServerRequest http) {
        return handle(source, body, http);
    }

    private Uni<Response> handle(String source, byte[] body, HttpServerRequest http) {
        WebhookRequest request = new WebhookRequest(body, http.headers(), pathTail(http.path()),
                http.query() == null ? "" : http.query(), http.absoluteURI());
        return ingest.ingest(source, request)
                .map(responses::toResponse)
                .onFailure().recoverWithItem(responses::unavailable);
    }

    /** The raw (still percent-encoded) path after {@code /webhooks/{source}}, as the sender wrote it. */
    public static String pathTail(String rawPath) {
        int sourceStart = rawPath.indexOf(PREFIX) + PREFIX.length();
        int tailStart = rawPath.indexOf('/', sourceStart);
        return tailStart < 0 ? "" : rawPath.substring(tailStart);
    }
}
