package io.webhookingest.admin;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The source API under {@code /admin/sources}: list and inspect every source, and manage those that are not from
 * configuration. Request bodies are never logged or echoed: a secret's body answers with its fingerprint only.
 */
@ApplicationScoped
public class SourceRoutes {

    static final String SOURCES = AdminRoutes.PREFIX + "/sources";

    /** The body of {@code POST .../secrets}. */
    public record SecretRequest(String secret, String notAfter) {

        @Override
        public String toString() {
            return "SecretRequest[notAfter=" + notAfter + "]";
        }
    }

    private final SourceAdmin admin;
    private final AdminReplies replies;
    private final ObjectReader documents;
    private final ObjectReader secretRequests;

    SourceRoutes(SourceAdmin admin, AdminReplies replies, ObjectMapper mapper) {
        this.admin = admin;
        this.replies = replies;
        this.documents = mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        this.secretRequests = mapper.readerFor(SecretRequest.class)
                .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    void install(Router router) {
        router.get(SOURCES).handler(context -> answer(context, admin.list()));
        router.get(SOURCES + "/:name").handler(context -> answer(context, admin.get(name(context))));
        router.put(SOURCES + "/:name").handler(this::put);
        router.delete(SOURCES + "/:name").handler(context -> answer(context, admin.delete(name(context))));
        router.post(SOURCES + "/:name/disable").handler(context -> answer(context,
                admin.enable(name(context), false)));
        router.post(SOURCES + "/:name/enable").handler(context -> answer(context, admin.enable(name(context), true)));
        router.post(SOURCES + "/:name/secrets").handler(this::addSecret);
        router.delete(SOURCES + "/:name/secrets/:fingerprint").handler(context -> answer(context,
                admin.deleteSecret(name(context), context.pathParam("fingerprint"))));
    }

    private void put(RoutingContext context) {
        JsonNode document;
        try {
            String text = context.body().asString();
            document = text == null || text.isBlank() ? null : documents.readTree(text);
        } catch (IOException e) {
            replies.badRequest(context, "The body must be one JSON object of the source's settings");
            return;
        }
        answer(context, admin.put(name(context), document));
    }

    private void addSecret(RoutingContext context) {
        SecretRequest request;
        try {
            String text = context.body().asString();
            request = text == null || text.isBlank() ? null : secretRequests.readValue(text);
        } catch (IOException e) {
            request = null;
        }
        if (request == null) {
            replies.badRequest(context, "The body must be a JSON object with the field secret and optionally notAfter"
                    + " (an RFC 3339 instant)");
            return;
        }
        Optional<Instant> notAfter;
        try {
            notAfter = Optional.ofNullable(request.notAfter()).map(Instant::parse);
        } catch (DateTimeParseException e) {
            replies.badRequest(context, "notAfter must be an RFC 3339 instant such as 2026-01-31T00:00:00Z");
            return;
        }
        answer(context, admin.addSecret(name(context), request.secret(), notAfter));
    }

    private static String name(RoutingContext context) {
        return context.pathParam("name");
    }

    private void answer(RoutingContext context, Uni<SourceAdmin.Outcome> work) {
        work.subscribe().with(outcome -> {
            if (outcome instanceof SourceAdmin.Outcome.Refused refused) {
                replies.problem(context, refused.problem());
            } else if (outcome instanceof SourceAdmin.Outcome.Done done && done.body() == null) {
                context.response().setStatusCode(done.status()).end();
            } else if (outcome instanceof SourceAdmin.Outcome.Done done) {
                replies.json(context, done.status(), done.body());
            }
        }, failure -> replies.failed(context, failure));
    }
}
