package io.webhookingest.source;

import static io.webhookingest.testing.Signatures.hmacHex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.webhookingest.testing.AppProcess;
import io.webhookingest.testing.Fixtures;
import io.webhookingest.testing.KafkaBrokerResource;
import io.webhookingest.testing.TestDatabase;
import io.webhookingest.testing.Topics;

/** A source defined only by environment variables, the way a Kubernetes Secret provides it. */
class SourceFromEnvironmentIT {

    @Test
    void sourceConfiguredOnlyThroughEnvironmentVariablesTakesDeliveries() throws Exception {
        try (TestDatabase database = TestDatabase.create();
             AppProcess app = AppProcess.start("source-from-env", AppProcess.freePort(),
                     Map.of("kafka.bootstrap.servers", KafkaBrokerResource.broker().bootstrapServers(),
                             "quarkus.datasource.reactive.url", database.reactiveUrl()),
                     Map.of("INGEST_SOURCES_PARTNER_PROVIDER", "hubject",
                             "INGEST_SOURCES_PARTNER_SECRETS", "env-secret-one,env-secret-two",
                             "INGEST_SOURCES_PARTNER_TOPIC", "partner.events"))) {
            byte[] body = Fixtures.replacing("hubject", "contract-created.json",
                    "caf56bee-f90d-4e81-a862-7e0d0f21d306", UUID.randomUUID().toString());

            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(app.uri("/webhooks/partner"))
                            .header("X-Hubject-Signature", "sha256=" + hmacHex("HmacSHA256", "env-secret-two", body))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertEquals(200, response.statusCode(), response.body());
            assertTrue(response.body().contains("\"accepted\""), response.body());
            String id = new io.restassured.path.json.JsonPath(response.body()).getString("events[0].id");
            assertEquals("/webhooks/partner", Topics.header(Topics.awaitCloudEvent("partner.events", id),
                    "ce_source"));
        }
    }
}
