package io.webhookingest.extract;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;

import io.webhookingest.webhook.WebhookRequest;

/**
 * Where a value is found in a delivery: {@code header:<Name>} for a request header, or a JSON Pointer such as
 * {@code /event/id} into the body. Only non-empty scalars count as found. Providers without a documented event id
 * use {@link BodyDigest}, which a sender's retries of the same bytes reproduce.
 */
public sealed interface FieldSelector {

    String HEADER_PREFIX = "header:";

    Optional<String> select(WebhookRequest request, JsonNode body);

    /** Parses a selector; throws {@link IllegalArgumentException} with a reason when it is neither form. */
    static FieldSelector parse(String spec) {
        if (spec.startsWith(HEADER_PREFIX) && spec.length() > HEADER_PREFIX.length()) {
            return new Header(spec.substring(HEADER_PREFIX.length()));
        }
        if (spec.startsWith("/")) {
            return new Pointer(JsonPointer.compile(spec));
        }
        throw new IllegalArgumentException(
                "'" + spec + "' is neither header:<Name> nor a JSON Pointer starting with '/'");
    }

    record Header(String name) implements FieldSelector {

        @Override
        public Optional<String> select(WebhookRequest request, JsonNode body) {
            return request.header(name).map(String::trim).filter(value -> !value.isEmpty());
        }

        @Override
        public String toString() {
            return HEADER_PREFIX + name;
        }
    }

    record Pointer(JsonPointer pointer) implements FieldSelector {

        @Override
        public Optional<String> select(WebhookRequest request, JsonNode body) {
            if (body == null) {
                return Optional.empty();
            }
            JsonNode node = body.at(pointer);
            if (!node.isValueNode() || node.isNull()) {
                return Optional.empty();
            }
            return Optional.of(node.asText()).filter(value -> !value.isEmpty());
        }

        @Override
        public String toString() {
            return pointer.toString();
        }
    }

    /** {@code sha256:<hex>} of the raw body. */
    record BodyDigest() implements FieldSelector {

        @Override
        public Optional<String> select(WebhookRequest request, JsonNode body) {
            return Optional.of(of(request.body()));
        }

        public static String of(byte[] bytes) {
            return "sha256:" + HexFormat.of().formatHex(digest(bytes));
        }

        public static byte[] digest(byte[] bytes) {
            try {
                return MessageDigest.getInstance("SHA-256").digest(bytes);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JVM has SHA-256", e);
            }
        }

        @Override
        public String toString() {
            return "the SHA-256 of the body";
        }
    }
}
