package io.webhookingest.ingest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Renders problem documents, and turns every error the REST layer raises (no such path, wrong method, unexpected
 * failure) into one, so that clients only ever see {@code application/problem+json} errors.
 */
@ApplicationScoped
public class Problems {

    private static final Logger LOG = Logger.getLogger(Problems.class);

    private final ObjectMapper mapper;

    Problems(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public Response response(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(bytes(problem)).build();
    }

    public byte[] bytes(Problem problem) {
        try {
            return mapper.writeValueAsBytes(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a problem document always serialises", e);
        }
    }

    @ServerExceptionMapper
    public Response mapWebApplicationException(WebApplicationException exception) {
        Response original = exception.getResponse();
        Response.StatusType status = original.getStatusInfo();
        Response.ResponseBuilder builder = Response.fromResponse(response(Problem.of(status.getStatusCode(),
                status.getReasonPhrase().toLowerCase().replace(' ', '_'), status.getReasonPhrase(),
                exception.getMessage())));
        original.getHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Content-Type")) {
                values.forEach(value -> builder.header(name, value));
            }
        });
        return builder.build();
    }

    @ServerExceptionMapper
    public Response mapUnexpected(Exception exception) {
        LOG.error("Unexpected failure", exception);
        return response(Problem.of(500, "internal_error", "Internal error",
                "The request failed unexpectedly; nothing is lost that was acknowledged before"));
    }
}
