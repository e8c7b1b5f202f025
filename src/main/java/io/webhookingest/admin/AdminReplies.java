package io.webhookingest.admin;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import io.webhookingest.ingest.Problem;
import io.webhookingest.ingest.Problems;

/** Writes the admin API's answers: JSON documents, and problem documents for every error. */
@ApplicationScoped
public class AdminReplies {

    private static final Logger LOG = Logger.getLogger(AdminReplies.class);
    static final String APPLICATION_JSON = "application/json";

    private final ObjectMapper mapper;
    private final Problems problems;

    AdminReplies(ObjectMapper mapper, Problems problems) {
        this.mapper = mapper;
        this.problems = problems;
    }

    void json(RoutingContext context, int status, Object body) {
        byte[] bytes;
        try {
            bytes = mapper.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            failed(context, e);
            return;
        }
        end(context, status, APPLICATION_JSON, Buffer.buffer(bytes));
    }

    void problem(RoutingContext context, Problem problem) {
        end(context, problem.status(), Problem.MEDIA_TYPE, Buffer.buffer(problems.bytes(problem)));
    }

    void badRequest(RoutingContext context, String detail) {
        problem(context, Problem.of(400, "bad_request", "Bad request", detail));
    }

    /** An unexpected failure: logged with its cause, answered without it. */
    void failed(RoutingContext context, Throwable failure) {
        LOG.error("An admin request failed unexpectedly", failure);
        problem(context, Problem.of(500, "internal_error", "Internal error",
                "The request failed unexpectedly; nothing is lost that was acknowledged before"));
    }

    static void end(RoutingContext context, int status, String contentType, Buffer body) {
        HttpServerResponse response = context.response();
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, contentType).end(body);
    }
}
