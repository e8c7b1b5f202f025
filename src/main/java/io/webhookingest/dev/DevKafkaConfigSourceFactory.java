package io.webhookingest.dev;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import org.eclipse.microprofile.config.spi.ConfigSource;
import org.jboss.logging.Logger;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;

/**
 * In dev mode, when no {@code kafka.bootstrap.servers} is configured anywhere, starts a real broker inside the JVM
 * and points the application at it, so that {@code ./mvnw quarkus:dev} needs nothing but Postgres. In any other
 * profile, or when a broker is configured, it does nothing.
 */
public class DevKafkaConfigSourceFactory implements ConfigSourceFactory {

    static final String BOOTSTRAP_SERVERS = "kafka.bootstrap.servers";
    /** Where the started broker's address is remembered, so that a live reload reuses it instead of starting another. */
    static final String STARTED_BROKER_PROPERTY = "webhook-ingest.dev-broker";

    private static final Logger LOG = Logger.getLogger(DevKafkaConfigSourceFactory.class);

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (!context.getProfiles().contains("dev")) {
            return List.of();
        }
        ConfigValue configured = context.getValue(BOOTSTRAP_SERVERS);
        if (configured != null && configured.getValue() != null && !configured.getValue().isBlank()) {
            return List.of();
        }
        return List.of(new PropertiesConfigSource(Map.of(BOOTSTRAP_SERVERS, devBroker()), "webhook-ingest dev broker",
                50));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(50);
    }

    private static synchronized String devBroker() {
        String started = System.getProperty(STARTED_BROKER_PROPERTY);
        if (started != null) {
            return started;
        }
        String bootstrapServers = DevBroker.start();
        System.setProperty(STARTED_BROKER_PROPERTY, bootstrapServers);
        LOG.infof("No %s configured: started an in-process Kafka broker at %s", BOOTSTRAP_SERVERS, bootstrapServers);
        return bootstrapServers;
    }
}
