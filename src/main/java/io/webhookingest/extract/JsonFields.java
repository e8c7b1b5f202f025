package io.webhookingest.extract;

import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/** Reads scalar fields of a JSON object: present, not null, not empty, not an object or array. */
final class JsonFields {

    private JsonFields() {
    }

    static Optional<String> text(JsonNode node, String field) {
        if (node == null) {
            return Optional.empty();
        }
        JsonNode value = node.get(field);
        if (value == null || !value.isValueNode() || value.isNull()) {
            return Optional.empty();
        }
        return Optional.of(value.asText()).filter(text -> !text.isEmpty());
    }
}
