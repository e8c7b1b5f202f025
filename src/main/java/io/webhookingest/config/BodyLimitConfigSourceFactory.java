package io.webhookingest.config;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Pattern;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;

/**
 * Sets the HTTP layer's body limit ({@code quarkus.http.limits.max-body-size}) to the largest limit any source has,
 * so that operators configure body sizes once, in {@code ingest.*}, and a source allowed more than the default is not
 * cut off below its own limit. An explicit {@code quarkus.http.limits.max-body-size} still wins.
 */
public class BodyLimitConfigSourceFactory implements ConfigSourceFactory {

    static final String HTTP_LIMIT = "quarkus.http.limits.max-body-size";
    static final String DEFAULT_LIMIT = "ingest.max-body-size";
    private static final Pattern SOURCE_LIMIT = Pattern.compile(
            "ingest\\.sources\\.[^.]+\\.max-body-size|INGEST_SOURCES_.+_MAX_BODY_SIZE");

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        MemorySizeConverter sizes = new MemorySizeConverter();
        ConfigValue configured = context.getValue(DEFAULT_LIMIT);
        long largest = sizes.convert(configured == null || configured.getValue() == null ? "10M"
                : configured.getValue()).asLongValue();
        for (Iterator<String> names = context.iterateNames(); names.hasNext();) {
            String name = names.next();
            if (SOURCE_LIMIT.matcher(name).matches()) {
                ConfigValue value = context.getValue(name);
                if (value != null && value.getValue() != null) {
                    largest = Math.max(largest, sizes.convert(value.getValue()).asLongValue());
                }
            }
        }
        return List.of(new PropertiesConfigSource(Map.of(HTTP_LIMIT, Long.toString(largest)),
                "webhook-ingest body limit", 50));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(50);
    }
}
