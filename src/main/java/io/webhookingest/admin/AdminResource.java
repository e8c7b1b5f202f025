package io.webhookingest.admin;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;
import io.webhookingest.admin.AdminService.ReleaseOutcome;
import io.webhookingest.admin.AdminService.ReplayOutcome;
import io.webhookingest.ingest.Problem;
import io.webhookingest.ingest.Problems;
import io.webhookingest.store.EventStatus;

/** The operators' API: list and inspect stored events, publish them again, release quarantined deliveries. */
@Path("/admin")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Admin", description = "Inspect, replay and release stored events")
@SecurityScheme(securitySchemeName = AdminResource.SECURITY_SCHEME, type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "ingest.admin.token")
@SecurityRequirement(name = AdminResource.SECURITY_SCHEME)
@APIResponse(responseCode = "401", description = "Missing or wrong bearer token",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "404", description = "Unknown event, or the admin API is disabled",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class AdminResource {

    static final String SECURITY_SCHEME = "admin-token";

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    private static final Set<String> STATUSES = Set.of("pending", "published", "recorded", "quarantined",
            "released", "failed");

    private final AdminService admin;
    private final Problems problems;

    AdminResource(AdminService admin, Problems problems) {
        this.admin = admin;
        this.problems = problems;
    }

    /** The replay filter's JSON: every field optional; times are RFC 3339 instants. */
    public record ReplayRequest(String source, String type, String status, String since, String until) {
    }

    @GET
    @Path("events")
    @Operation(summary = "List events, newest first")
    public Uni<Response> list(@RestQuery String source, @RestQuery String type, @RestQuery String status,
            @RestQuery String since, @RestQuery String until, @RestQuery Integer limit) {
        int size = limit == null ? DEFAULT_LIMIT : limit;
        if (size < 1 || size > MAX_LIMIT) {
            return bad("limit must be between 1 and " + MAX_LIMIT);
        }
        return filter(source, type, status, since, until)
                .map(filter -> admin.list(filter, size)
                        .map(events -> Response.ok(Map.of("events", events)).build()))
                .orElseGet(() -> bad(filterProblem(status, since, until)));
    }

    @GET
    @Path("events/{id}")
    @Operation(summary = "An event with its stored headers and raw body")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = EventDetail.class)))
    public Uni<Response> detail(@RestPath UUID id) {
        return admin.find(id).map(event -> event
                .map(found -> Response.ok(admin.detail(found)).build())
                .orElseGet(() -> notFound(id)));
    }

    @GET
    @Path("events/{id}/body")
    @Produces(MediaType.WILDCARD)
    @Operation(summary = "The raw body, with its original content type")
    public Uni<Response> body(@RestPath UUID id) {
        return admin.find(id).map(event -> event
                .map(found -> Response.ok(found.body, contentType(admin.detail(found).headers())).build())
                .orElseGet(() -> notFound(id)));
    }

    @POST
    @Path("events/{id}/replay")
    @Operation(summary = "Publish a published or failed event again, with the same ce_id")
    public Uni<Response> replay(@RestPath UUID id) {
        return admin.replay(id).map(outcome -> {
            if (outcome instanceof ReplayOutcome.Replayed replayed) {
                return Response.accepted(Map.of("id", replayed.id(), "status", EventStatus.PENDING.label())).build();
            }
            if (outcome instanceof ReplayOutcome.Refused refused) {
                return problems.response(Problem.of(409, "not_replayable", "Not replayable", refused.detail()));
            }
            return notFound(id);
        });
    }

    @POST
    @Path("replay")
    @Operation(summary = "Publish every matching published (or failed) event again")
    public Uni<Response> replayAll(ReplayRequest request) {
        ReplayRequest body = request == null ? new ReplayRequest(null, null, null, null, null) : request;
        if (body.status() != null && !AdminService.REPLAYABLE.contains(body.status())) {
            return bad("Only published or failed events are replayed; pending ones are on their way and others are"
                    + " never published");
        }
        return filter(body.source(), body.type(), body.status(), body.since(), body.until())
                .map(filter -> admin.replayAll(filter).map(count -> Response.ok(Map.of("replayed", count)).build()))
                .orElseGet(() -> bad(filterProblem(null, body.since(), body.until())));
    }

    @POST
    @Path("events/{id}/release")
    @Operation(summary = "Read a quarantined delivery again and publish its events")
    public Uni<Response> release(@RestPath UUID id) {
        return admin.release(id).map(outcome -> {
            if (outcome instanceof ReleaseOutcome.Released released) {
                return Response.ok(Map.of("id", released.id(), "status", EventStatus.RELEASED.label(), "events",
                        released.events().stream().map(e -> Map.of("id", e.id(),
                                "status", e.created() ? e.status().label() : "duplicate")).toList())).build();
            }
            if (outcome instanceof ReleaseOutcome.Refused refused) {
                return problems.response(Problem.of(409, "not_released", "Not released", refused.detail()));
            }
            return notFound(id);
        });
    }

    private static Optional<EventFilter> filter(String source, String type, String status, String since,
            String until) {
        if (status != null && !STATUSES.contains(status)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new EventFilter(Optional.ofNullable(source), Optional.ofNullable(type),
                    Optional.ofNullable(status), Optional.ofNullable(since).map(Instant::parse),
                    Optional.ofNullable(until).map(Instant::parse)));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static String filterProblem(String status, String since, String until) {
        if (status != null && !STATUSES.contains(status)) {
            return "status must be one of " + STATUSES;
        }
        return "since and until must be RFC 3339 instants such as 2026-01-31T00:00:00Z";
    }

    private static String contentType(JsonNode headers) {
        JsonNode values = headers.path("content-type");
        return values.isArray() && !values.isEmpty() ? values.get(0).asText() : MediaType.APPLICATION_OCTET_STREAM;
    }

    private Uni<Response> bad(String detail) {
        return Uni.createFrom().item(problems.response(Problem.of(400, "bad_request", "Bad request", detail)));
    }

    private Response notFound(UUID id) {
        return problems.response(Problem.of(404, "unknown_event", "Unknown event", "No event has id " + id));
    }
}
