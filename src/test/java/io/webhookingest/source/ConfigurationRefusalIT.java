package io.webhookingest.source;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.webhookingest.testing.AppProcess;
import io.webhookingest.testing.Instances;
import io.webhookingest.testing.TestDatabase;

/** A configuration mistake stops the application at startup, naming the key, and never echoing a secret. */
class ConfigurationRefusalIT {

    static Stream<Arguments> mistakes() {
        return Stream.of(
                Arguments.of("retention shorter than key generations can turn over", Map.of("ingest.retention", "2m"),
                        "ingest.retention must be at least 5 minutes"),
                Arguments.of("partition span that does not line up with midnight", Map.of("ingest.partition-span",
                        "7h"), "ingest.partition-span must be whole minutes that divide a day or are a multiple of one"),
                Arguments.of("unknown provider", Map.of("ingest.sources.acme.provider", "nope"),
                        "ingest.sources.acme.provider: unknown provider 'nope'"),
                Arguments.of("selector of neither form", Map.of("ingest.sources.hubject.id", "event.id"),
                        "ingest.sources.hubject.id: 'event.id' is neither header:<Name> nor a JSON Pointer"),
                Arguments.of("route without a topic", Map.of("ingest.sources.hubject.routes", "oem.*"),
                        "ingest.sources.hubject.routes: route 'oem.*' must have the form <type or glob>=<topic>"),
                Arguments.of("hmac without a header", Map.of("ingest.sources.acme.provider", "hmac",
                        "ingest.sources.acme.secrets", "s"), "ingest.sources.acme.signature.header is required"),
                Arguments.of("hmac with an unknown algorithm", Map.of("ingest.sources.acme.provider", "hmac",
                        "ingest.sources.acme.secrets", "s", "ingest.sources.acme.signature.header", "X-Sig",
                        "ingest.sources.acme.signature.algorithm", "HmacNope"),
                        "ingest.sources.acme.signature.algorithm: HmacNope is not among"),
                Arguments.of("hmac listing an unknown algorithm", Map.of("ingest.sources.acme.provider", "hmac",
                        "ingest.sources.acme.secrets", "s", "ingest.sources.acme.signature.header", "X-Sig",
                        "ingest.sources.acme.signature.algorithms", "HmacSHA256,HmacNope"),
                        "ingest.sources.acme.signature.algorithms: cannot use HmacNope"),
                Arguments.of("hmac with SHA-1 not listed", Map.of("ingest.sources.acme.provider", "hmac",
                        "ingest.sources.acme.secrets", "s", "ingest.sources.acme.signature.header", "X-Sig",
                        "ingest.sources.acme.signature.algorithm", "HmacSHA1"),
                        "ingest.sources.acme.signature.algorithm: HmacSHA1 is not among"),
                Arguments.of("admin token shorter than 32 characters", Map.of("ingest.admin.token", "short-token"),
                        "ingest.admin.token is shorter than 32 characters"),
                Arguments.of("the demo admin token in a packaged run", Map.of("ingest.admin.token",
                        "dev-admin-token-not-for-production-use"), "ingest.admin.token is the dev profile's demo token"),
                Arguments.of("the demo source secret in a packaged run", Map.of("ingest.sources.hubject.secrets",
                        "dev-hubject-secret"), "ingest.sources.hubject.secrets holds a demo secret"),
                Arguments.of("standard-webhooks secret that is not base64", Map.of(
                        "ingest.sources.sw.provider", "standard-webhooks", "ingest.sources.sw.secrets",
                        "whsec_not*base64*secret"), "ingest.sources.sw: a Standard Webhooks secret must be base64"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void startupIsRefusedNamingTheKey(String name, Map<String, String> mistake, String message) {
        try (TestDatabase database = TestDatabase.create()) {
            Map<String, String> config = new HashMap<>(Instances.config(database.reactiveUrl()));
            config.putAll(mistake);
            String log = AppProcess.startExpectingRefusal("refused-" + name.replace(' ', '-'), config);
            assertTrue(log.contains(message), log);
            assertFalse(log.contains("not*base64*secret"), "the secret is not echoed");
            assertFalse(log.contains("short-token"), "the token is not echoed");
        }
    }
}
