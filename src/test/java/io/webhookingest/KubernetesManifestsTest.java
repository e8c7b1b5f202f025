package io.webhookingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.webhookingest.ingest.ShutdownGate;
import io.webhookingest.relay.KafkaPublisher;
import io.webhookingest.testing.ConfigKeys;
import io.webhookingest.testing.KafkaBrokerResource;
import io.webhookingest.testing.Kustomize;
import io.webhookingest.testing.Management;

/**
 * Every overlay under {@code k8s/} renders to what ops need, and agrees with the application: probe paths it
 * serves, its port, configuration keys it knows, a grace period that covers its shutdown, and no literal secret.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class KubernetesManifestsTest {

    static final int HTTP_PORT = 8080;
    static final int MANAGEMENT_PORT = 9000;
    static final Set<String> REQUIRED_KINDS = Set.of("ServiceAccount", "ConfigMap", "Deployment", "Service",
            "HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy", "KafkaTopic");

    static List<JsonNode> render(String overlay) {
        return Kustomize.render(Path.of("k8s", "overlays", overlay));
    }

    /** The object of this kind named webhook-ingest (an overlay may add more of a kind, such as network policies). */
    static JsonNode only(List<JsonNode> objects, String kind) {
        List<JsonNode> matching = objects.stream().filter(o -> o.path("kind").asText().equals(kind)
                && o.at("/metadata/name").asText().equals(kind.equals("KafkaTopic") ? "webhooks.hubject"
                        : "webhook-ingest")).toList();
        assertEquals(1, matching.size(), "one " + kind);
        return matching.get(0);
    }

    static JsonNode container(List<JsonNode> objects) {
        return only(objects, "Deployment").at("/spec/template/spec/containers/0");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dev", "production"})
    void rendersEveryKindOpsNeed(String overlay) {
        Set<String> kinds = render(overlay).stream().map(o -> o.path("kind").asText()).collect(Collectors.toSet());
        assertTrue(kinds.containsAll(REQUIRED_KINDS), "kinds: " + kinds);
        assertFalse(kinds.contains("Secret"), "the example Secret stays out of the kustomization");
    }

    @Test
    void productionRunsAtLeastThreeReplicasAndIsScraped() {
        List<JsonNode> production = render("production");
        assertEquals(3, only(production, "Deployment").at("/spec/replicas").asInt());
        assertTrue(only(production, "HorizontalPodAutoscaler").at("/spec/minReplicas").asInt() >= 3);
        JsonNode monitor = only(production, "ServiceMonitor");
        JsonNode endpoint = monitor.at("/spec/endpoints/0");
        assertEquals("management", endpoint.path("port").asText());
        Management.given().get(endpoint.path("path").asText()).then().statusCode(200);
        List<JsonNode> scraped = production.stream().filter(o -> o.path("kind").asText().equals("Service"))
                .filter(service -> matches(monitor.at("/spec/selector/matchLabels"), service.at("/metadata/labels")))
                .toList();
        assertEquals(List.of("webhook-ingest-management"),
                scraped.stream().map(service -> service.at("/metadata/name").asText()).toList());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dev", "production"})
    void probesUsePathsTheManagementInterfaceServes(String overlay) {
        List<JsonNode> objects = render(overlay);
        JsonNode container = container(objects);
        assertEquals(HTTP_PORT, container.at("/ports/0/containerPort").asInt());
        assertEquals("http", container.at("/ports/0/name").asText());
        assertEquals(MANAGEMENT_PORT, container.at("/ports/1/containerPort").asInt());
        assertEquals("management", container.at("/ports/1/name").asText());
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            JsonNode get = container.path(probe).path("httpGet");
            assertEquals("management", get.path("port").asText(), probe);
            Management.given().get(get.path("path").asText()).then().statusCode(200);
        }
        assertEquals("/q/health/started", container.at("/startupProbe/httpGet/path").asText());
        assertEquals("/q/health/live", container.at("/livenessProbe/httpGet/path").asText());
        assertEquals("/q/health/ready", container.at("/readinessProbe/httpGet/path").asText());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dev", "production"})
    void runsAsNonRootOnAReadOnlyRootFilesystem(String overlay) {
        List<JsonNode> objects = render(overlay);
        JsonNode pod = only(objects, "Deployment").at("/spec/template/spec");
        JsonNode container = container(objects);
        assertTrue(pod.at("/securityContext/runAsNonRoot").asBoolean());
        assertTrue(container.at("/securityContext/readOnlyRootFilesystem").asBoolean());
        assertFalse(container.at("/securityContext/allowPrivilegeEscalation").asBoolean(true));
        assertEquals("ALL", container.at("/securityContext/capabilities/drop/0").asText());
        assertEquals("/tmp", container.at("/volumeMounts/0/mountPath").asText(), "a writable /tmp");
        assertFalse(pod.path("automountServiceAccountToken").asBoolean(true));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dev", "production"})
    void gracePeriodCoversTheWholeShutdown(String overlay) {
        List<JsonNode> objects = render(overlay);
        JsonNode preStop = container(objects).at("/lifecycle/preStop/exec/command");
        assertEquals("sleep", preStop.get(0).asText());
        Duration shutdown = Duration.ofSeconds(preStop.get(1).asLong())
                .plus(duration("quarkus.shutdown.timeout"))
                .plus(ShutdownGate.IN_FLIGHT_WAIT)
                .plus(duration("ingest.relay.drain-timeout"))
                .plus(KafkaPublisher.CLOSE_TIMEOUT);
        long grace = only(objects, "Deployment").at("/spec/template/spec/terminationGracePeriodSeconds").asLong();
        assertTrue(grace >= shutdown.toSeconds(), "grace " + grace + " s < shutdown " + shutdown);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dev", "production"})
    void everyEnvironmentVariableIsARunTimeConfigurationKey(String overlay) throws Exception {
        List<JsonNode> objects = render(overlay);
        ConfigKeys keys = ConfigKeys.load();
        List<String> names = new ArrayList<>();
        container(objects).path("env").forEach(env -> names.add(env.path("name").asText()));
        only(objects, "ConfigMap").path("data").fieldNames().forEachRemaining(names::add);
        Kustomize.examples().forEach(secret -> secret.path("stringData").fieldNames().forEachRemaining(name -> {
            if (name.equals(name.toUpperCase())) {
                names.add(name);
            }
        }));
        List<String> unknown = names.stream()
                .filter(name -> !ConfigKeys.IMAGE_SETTINGS.contains(name) && !keys.knows(name)).toList();
        assertEquals(List.of(), unknown, "environment variables that configure nothing");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dev", "production"})
    void credentialsOnlyComeFromSecrets(String overlay) {
        List<JsonNode> objects = render(overlay);
        for (JsonNode env : container(objects).path("env")) {
            if (looksSecret(env.path("name").asText())) {
                assertTrue(env.at("/valueFrom/secretKeyRef").isObject(), env.path("name") + " from a Secret");
            }
        }
        only(objects, "ConfigMap").path("data").fieldNames()
                .forEachRemaining(name -> assertFalse(looksSecret(name), name + " belongs in a Secret"));
        assertTrue(StreamSupport.stream(container(objects).path("envFrom").spliterator(), false)
                .anyMatch(from -> from.has("secretRef")), "source secrets come from a Secret");
        Kustomize.examples().forEach(secret -> secret.path("stringData").forEach(value ->
                assertEquals("REPLACE_ME", value.asText(), "the example holds placeholders only")));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dev", "production"})
    void selectorsTopicsAndEgressFitTogether(String overlay) {
        List<JsonNode> objects = render(overlay);
        JsonNode labels = only(objects, "Deployment").at("/spec/template/metadata/labels");
        Stream.of(only(objects, "PodDisruptionBudget").at("/spec/selector/matchLabels"),
                only(objects, "Service").at("/spec/selector")).forEach(selector -> selector.fields()
                        .forEachRemaining(label -> assertEquals(label.getValue(), labels.get(label.getKey()))));
        assertEquals("webhook-ingest", only(objects, "HorizontalPodAutoscaler").at("/spec/scaleTargetRef/name")
                .asText());
        JsonNode topic = only(objects, "KafkaTopic");
        assertEquals("webhooks.hubject", topic.at("/spec/topicName").asText());
        assertTrue(topic.at("/spec/config/max.message.bytes").asLong()
                >= ConfigProvider.getConfig().getValue("ingest.max-body-size", MemorySize.class).asLongValue(),
                "no accepted body is too large for its topic");
        String egress = objects.stream().filter(o -> o.path("kind").asText().equals("NetworkPolicy"))
                .map(o -> o.at("/spec/egress").toString()).collect(Collectors.joining());
        for (String port : List.of("5432", "9092", "53")) {
            assertTrue(egress.contains("\"port\":" + port), "egress to port " + port);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dev", "production"})
    void onlyTheWebhookPortIsPublicAndManagementOnlyForOpsAndMonitoring(String overlay) {
        List<JsonNode> objects = render(overlay);
        JsonNode publicPorts = only(objects, "Service").at("/spec/ports");
        assertEquals(1, publicPorts.size(), "the public Service exposes one port");
        assertEquals("http", publicPorts.get(0).path("targetPort").asText());
        JsonNode management = objects.stream().filter(o -> o.path("kind").asText().equals("Service")
                && o.at("/metadata/name").asText().equals("webhook-ingest-management")).findFirst().orElseThrow();
        assertEquals("management", management.at("/spec/ports/0/targetPort").asText());

        JsonNode podLabels = only(objects, "Deployment").at("/spec/template/metadata/labels");
        List<JsonNode> rules = new ArrayList<>();
        objects.stream().filter(o -> o.path("kind").asText().equals("NetworkPolicy"))
                .filter(policy -> matches(policy.at("/spec/podSelector/matchLabels"), podLabels))
                .forEach(policy -> policy.at("/spec/ingress").forEach(rules::add));
        boolean managementRule = false;
        for (JsonNode rule : rules) {
            for (JsonNode port : rule.path("ports")) {
                if (port.path("port").asInt() == MANAGEMENT_PORT) {
                    managementRule = true;
                    assertTrue(rule.path("from").size() > 0, "the management port admits chosen peers only");
                    for (JsonNode peer : rule.path("from")) {
                        assertFalse(peer.has("ipBlock"), "no address range reaches the management port: " + rule);
                        assertTrue(peer.toString().contains("webhook-ingest.io/ops")
                                || peer.toString().contains("webhook-ingest.io/monitoring")
                                || peer.toString().contains("\"kubernetes.io/metadata.name\":\"monitoring\""),
                                "a documented selector: " + peer);
                    }
                } else {
                    assertEquals(HTTP_PORT, port.path("port").asInt(), "no other port is open: " + rule);
                }
            }
            assertTrue(rule.path("ports").size() > 0, "every rule names its ports: " + rule);
        }
        assertTrue(managementRule, "the management port has a rule");
    }

    private static boolean matches(JsonNode selector, JsonNode labels) {
        List<String> missing = new ArrayList<>();
        selector.fields().forEachRemaining(label -> {
            if (!label.getValue().equals(labels.get(label.getKey()))) {
                missing.add(label.getKey());
            }
        });
        return missing.isEmpty();
    }

    private static Duration duration(String key) {
        return ConfigProvider.getConfig().getValue(key, Duration.class);
    }

    private static boolean looksSecret(String name) {
        return name.matches(".*(PASSWORD|SECRET|TOKEN|CREDENTIAL|JAAS).*");
    }
}
