package io.webhookingest.dev;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.webhookingest.source.SourceRegistry;

/**
 * In dev mode, creates every configured source's topic at startup, so that the first event is on Kafka right after
 * its delivery and a consumer started at once finds the topic, instead of waiting for the broker to create it on the
 * first publish. Partitions and replication are the broker's defaults. In production, topics come from the
 * KafkaTopic manifests; this bean does not exist there. It also prints where to look next.
 */
@IfBuildProfile("dev")
@ApplicationScoped
public class DevTopics {

    static final long TIMEOUT_SECONDS = 10;

    private static final Logger LOG = Logger.getLogger(DevTopics.class);

    void create(@Observes StartupEvent event, SourceRegistry sources,
            @Identifier("default-kafka-broker") Map<String, Object> kafka,
            @ConfigProperty(name = "quarkus.http.port") int port,
            @ConfigProperty(name = "quarkus.management.port") int managementPort)
            throws InterruptedException {
        try (Admin admin = Admin.create(kafka)) {
            for (String topic : sources.all().stream()
                    .flatMap(source -> source.routes().topics().stream()).distinct().toList()) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, Optional.empty(), Optional.empty())))
                            .all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        LOG.infof("Could not create topic %s ahead of the first event (%s); the broker will create"
                                + " it on the first publish", topic, e.getCause().toString());
                    }
                } catch (TimeoutException e) {
                    LOG.infof("The broker did not create topic %s within %d s; it will on the first publish", topic,
                            TIMEOUT_SECONDS);
                }
            }
        }
        LOG.infof("Deliveries: POST http://localhost:%d/webhooks/{source} (README: the curl line). Health, metrics,"
                + " the admin API and Swagger UI: http://localhost:%d/q/swagger-ui", port, managementPort);
    }
}
