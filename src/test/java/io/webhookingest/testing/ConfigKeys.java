package io.webhookingest.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.apache.kafka.clients.producer.ProducerConfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.webhookingest.config.IngestConfig;

/**
 * Which environment variable names configure the application, from the same sources the application reads: every
 * Quarkus extension's configuration model (run-time properties only, since the environment is read at run time),
 * the {@code ingest} mapping, and Kafka's producer settings.
 */
public final class ConfigKeys {

    /** Settings of the container image's start script, not of the application. */
    public static final List<String> IMAGE_SETTINGS = List.of("JAVA_MAX_MEM_RATIO", "JAVA_OPTS_APPEND");

    private static final String MODEL = "META-INF/quarkus-config-doc/quarkus-config-model.json";
    private static final String MAP_KEY = "[A-Z0-9_]+";

    private final List<Pattern> runtime = new ArrayList<>();

    private ConfigKeys() {
    }

    public static ConfigKeys load() {
        ConfigKeys keys = new ConfigKeys();
        keys.loadQuarkusModels();
        keys.addMapping("INGEST", IngestConfig.class);
        return keys;
    }

    /** True when the variable sets a run-time configuration property the application knows. */
    public boolean knows(String environmentVariable) {
        if (environmentVariable.startsWith("KAFKA_")) {
            String property = environmentVariable.substring("KAFKA_".length()).toLowerCase(Locale.ROOT)
                    .replace('_', '.');
            return ProducerConfig.configNames().contains(property);
        }
        return runtime.stream().anyMatch(pattern -> pattern.matcher(environmentVariable).matches());
    }

    private void loadQuarkusModels() {
        ObjectMapper json = new ObjectMapper();
        try {
            for (URL model : Collections.list(getClass().getClassLoader().getResources(MODEL))) {
                try (InputStream in = model.openStream()) {
                    collect(json.readTree(in));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void collect(JsonNode node) {
        if (node.isObject()) {
            JsonNode path = node.get("path");
            if (path != null && path.isObject() && path.has("environmentVariable")
                    && node.path("phase").asText().equals("RUN_TIME")) {
                addEnvironmentVariable(path.get("environmentVariable").asText());
                node.path("additionalPaths").forEach(p -> addEnvironmentVariable(p.path("environmentVariable").asText()));
            }
            node.forEach(this::collect);
        } else if (node.isArray()) {
            node.forEach(this::collect);
        }
    }

    /** Map keys appear quoted in the model, e.g. QUARKUS_LOG_CATEGORY__CATEGORIES__LEVEL. */
    private void addEnvironmentVariable(String name) {
        if (!name.isEmpty()) {
            runtime.add(Pattern.compile(name.replaceAll("__[A-Z0-9_]+?__", "__" + MAP_KEY + "__")));
        }
    }

    /** Names are built as regular expressions: literal parts are upper-case letters, digits and underscores. */
    private void addMapping(String prefix, Class<?> mapping) {
        for (Method accessor : mapping.getDeclaredMethods()) {
            if (accessor.isDefault() || accessor.isSynthetic() || accessor.getParameterCount() > 0) {
                continue;
            }
            String name = prefix + "_" + accessor.getName().replaceAll("([a-z0-9])([A-Z])", "$1_$2")
                    .toUpperCase(Locale.ROOT);
            Type type = accessor.getGenericReturnType();
            Class<?> leaf = accessor.getReturnType();
            if (leaf == Map.class && type instanceof ParameterizedType map
                    && map.getActualTypeArguments()[1] instanceof Class<?> value && value.isInterface()
                    && value.getName().startsWith(IngestConfig.class.getName())) {
                addMapping(name + "_" + MAP_KEY, value);
            } else if (leaf == Map.class) {
                runtime.add(Pattern.compile(name + "_" + MAP_KEY));
            } else if (leaf.isInterface() && leaf.getName().startsWith(IngestConfig.class.getName())) {
                addMapping(name, leaf);
            } else {
                runtime.add(Pattern.compile(name));
            }
        }
    }
}
