package io.webhookingest.ingest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
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
@Tag(name = "Webhooks", description = "Signed deliveries from providers")
@APIResponse(responseCode = "200", description = "Stored (accepted, duplicate or recorded), or a Slack challenge",
        content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Receipt.class)))
@APIResponse(responseCode = "400", description = "Signed, but unreadable; kept as a quarantined event",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "401", description = "Signature, timestamp or nonce refused",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "404", description = "No such source",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "413", description = "Body larger than the source accepts",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "503", description = "Not stored; retry after the Retry-After seconds",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class WebhookResource {

    private static final String PREFIX = "/webhooks/";

    private final IngestService ingest;
    private final WebhookResponses responses;

    WebhookResource(IngestService ingest, WebhookResponses responses) {
        this.ingest = ingest;
        this.responses = responses;
    }

    @POST
    @Operation(summary = "Receive a delivery", description = "Verifies the provider's signature over the raw body, "
            + "stores the event once per identity and answers only after the commit.")
    @RequestBody(description = "The body exactly as the provider sent it", content = @Content(
            mediaType = MediaType.WILDCARD, schema = @Schema(type = SchemaType.STRING, format = "binary")))
    public Uni<Response> receive(@RestPath String source, byte[] body, HttpServerRequest http) {
        return handle(source, body, http);
    }

    @POST
    @Path("{tail: .+}")
    @Operation(summary = "Receive a delivery whose URL carries part of the event",
            description = "For providers that sign the URL they call (xpanse: the order id is in the path).")
    @RequestBody(description = "The body exactly as the provider sent it", content = @Content(
            mediaType = MediaType.WILDCARD, schema = @Schema(type = SchemaType.STRING, format = "binary")))
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
