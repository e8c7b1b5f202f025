package io.webhookingest.source;

import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.webhookingest.config.IngestConfig;

/**
 * The settings of a source managed through the admin API: exactly the keys a configured source has under
 * {@code ingest.sources.<name>.}, as one JSON object (nested objects for dotted keys, arrays for lists). They are read
 * by the same configuration mapping as at startup, so an unknown key or a value of the wrong kind is refused with the
 * same message. Secrets are never part of it.
 */
public final class SourceDocument {

    static final String SECRETS_KEY = "secrets";
    private static final int MAX_KEYS = 256;

    private SourceDocument() {
    }

    /** The document as flat configuration keys; throws {@link IllegalArgumentException} with the reason. */
    public static Map<String, String> settings(JsonNode document) {
        if (document == null || !document.isObject()) {
            throw new IllegalArgumentException("The body must be a JSON object of the source's settings, e.g."
                    + " {\"provider\": \"github\"}");
        }
        Map<String, String> settings = new TreeMap<>();
        flatten("", document, settings);
        if (settings.keySet().stream().anyMatch(key -> key.equals(SECRETS_KEY) || key.startsWith(SECRETS_KEY + "["))) {
            throw new IllegalArgumentException("secrets are never part of a source's settings: add each one with"
                    + " POST /admin/sources/{name}/secrets");
        }
        return settings;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> into) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getKey().isEmpty() || field.getKey().contains("[")) {
                    throw new IllegalArgumentException("A setting's name is a configuration key, such as"
                            + " signature.header");
                }
                flatten(prefix + field.getKey() + ".", field.getValue(), into);
            }
            return;
        }
        String key = prefix.substring(0, Math.max(0, prefix.length() - 1));
        if (key.isEmpty()) {
            throw new IllegalArgumentException("A setting needs a name");
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                JsonNode element = node.get(i);
                if (!element.isValueNode() || element.isNull()) {
                    throw new IllegalArgumentException(key + ": a list holds plain values");
                }
                put(into, key + "[" + i + "]", element.asText());
            }
        } else if (node.isValueNode() && !node.isNull()) {
            put(into, key, node.asText());
        } else {
            throw new IllegalArgumentException(key + ": a setting is a string, a number, a boolean or a list");
        }
    }

    /** Bounds what a document can make this instance hold and check, whatever its shape. */
    private static void put(Map<String, String> into, String key, String value) {
        if (into.size() >= MAX_KEYS) {
            throw new IllegalArgumentException("A source has at most " + MAX_KEYS + " settings");
        }
        into.put(key, value);
    }

    /**
     * The settings read as configuration of the source {@code name}; throws {@link IllegalArgumentException} with the
     * message configuration would give at startup.
     */
    static IngestConfig.SourceConfig read(String name, Map<String, String> settings) {
        String prefix = SourceRegistry.configKey(name);
        Map<String, String> properties = new TreeMap<>();
        settings.forEach((key, value) -> properties.put(prefix + "." + key, value));
        try {
            SmallRyeConfig config = new SmallRyeConfigBuilder()
                    .withSources(new PropertiesConfigSource(properties, "the admin API", 100))
                    .withConverter(Duration.class, 200, new DurationConverter())
                    .withConverter(MemorySize.class, 200, new MemorySizeConverter())
                    .withMapping(IngestConfig.SourceConfig.class, prefix)
                    .build();
            return config.getConfigMapping(IngestConfig.SourceConfig.class, prefix);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
