package io.webhookingest.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.webhookingest.config.IngestConfig;
import io.webhookingest.ingest.Problem;
import io.webhookingest.ingest.Problems;

/**
 * Guards {@code /admin}: without a configured token the admin API does not exist (404); with one, every request must
 * carry {@code Authorization: Bearer <token>} (401 otherwise), compared in constant time.
 */
public class AdminAuthFilter {

    static final String PREFIX = "admin";
    static final String BEARER = "Bearer ";

    private final Optional<byte[]> expected;
    private final Problems problems;

    AdminAuthFilter(IngestConfig config, Problems problems) {
        this.expected = config.admin().token().filter(t -> !t.isBlank())
                .map(token -> (BEARER + token).getBytes(StandardCharsets.UTF_8));
        this.problems = problems;
    }

    @ServerRequestFilter
    public Response authorize(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.equals("/" + PREFIX) && !path.startsWith("/" + PREFIX + "/")) {
            return null;
        }
        if (expected.isEmpty()) {
            return problems.response(Problem.of(404, "admin_disabled", "Admin API disabled",
                    "The admin API is enabled by setting ingest.admin.token"));
        }
        String presented = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (presented == null
                || !MessageDigest.isEqual(expected.get(), presented.getBytes(StandardCharsets.UTF_8))) {
            return Response.fromResponse(problems.response(Problem.of(401, "unauthorized", "Unauthorized",
                    "The admin API requires Authorization: Bearer <ingest.admin.token>")))
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"webhook-ingest admin\"").build();
        }
        return null;
    }
}
