package io.webhookingest.ingest;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.webhookingest.testing.KafkaBrokerResource;
import io.webhookingest.testing.ProvidersProfile;
import io.webhookingest.testing.Signatures;

/**
 * Random bodies and signature headers against every source: whatever arrives, the answer is a 2xx or a 4xx problem,
 * never a 5xx. The seed is printed so that a failure can be replayed.
 */
@QuarkusTest
@TestProfile(ProvidersProfile.class)
@WithTestResource(KafkaBrokerResource.class)
class FuzzTest {

    static final int ROUNDS = 400;
    static final List<String> PATHS = List.of("/webhooks/hubject", "/webhooks/terraform", "/webhooks/entrupy",
            "/webhooks/terratrue", "/webhooks/xpanse/webhook/order/o-1", "/webhooks/xpanse-direct",
            "/webhooks/standard-webhooks", "/webhooks/github", "/webhooks/stripe", "/webhooks/slack",
            "/webhooks/acme", "/webhooks/unknown", "/webhooks/hubject/%00/%2e%2e/x?y=%25zz&z");
    static final List<String> HEADERS = List.of("X-Hubject-Signature", "X-Operator-Signature", "payload-signature",
            "X-TFE-Notification-Signature", "Entrupy-Signature", "X-TerraTrue-Signature",
            "X-TerraTrue-Signature-Version", "X-TerraTrue-Request-Timestamp", "x-signature", "x-nonce-signature",
            "x-timestamp-signature", "webhook-id", "webhook-timestamp", "webhook-signature", "X-Hub-Signature-256",
            "X-GitHub-Event", "X-GitHub-Delivery", "Stripe-Signature", "X-Slack-Signature",
            "X-Slack-Request-Timestamp", "X-Acme-Signature", "X-Acme-Timestamp", "X-Acme-Event", "Content-Type");
    static final List<String> VALUES = List.of("", "sha256=", "sha256=zz", "SHA256:", "SHA256:%%%", "v1", "v1,",
            "v1,@@ v2,x", "t=,v1=", "t=1,t=2,v1=00", "algorithm=;headers=;signature=", "algorithm=HmacSHA256",
            "algorithm=HmacSHA256;headers=x-nope;signature=00", "v0=", "v0=gg", "-1", "99999999999999999999",
            "1e9", " ", "=", ";;;", ",,,", "\u00e9\u00e8", "a".repeat(4000), "v1=" + "A".repeat(3000),
            "application/json", "text/plain; charset=utf-16");

    @TestHTTPResource("/")
    URI root;

    @Test
    void noDeliveryEverGetsA5xx() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        List<String> failures = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            String path = PATHS.get(random.nextInt(PATHS.size()));
            byte[] body = body(random);
            HttpRequest.Builder request = HttpRequest.newBuilder(root.resolve(path))
                    .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
            int headers = random.nextInt(5);
            for (int i = 0; i < headers; i++) {
                String value = VALUES.get(random.nextInt(VALUES.size()));
                if (random.nextInt(4) == 0) {
                    value = "sha256=" + Signatures.hmacHex("HmacSHA256", "test-hubject-secret", body);
                }
                request.header(HEADERS.get(random.nextInt(HEADERS.size())), value);
            }
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 500) {
                failures.add(path + " -> " + response.statusCode() + " " + response.body());
            }
        }
        assertTrue(failures.isEmpty(), "seed " + seed + ": " + failures);
    }

    private static byte[] body(Random random) {
        switch (random.nextInt(7)) {
            case 0:
                byte[] bytes = new byte[random.nextInt(2048)];
                random.nextBytes(bytes);
                return bytes;
            case 1:
                return "[".repeat(random.nextInt(5000)).getBytes(StandardCharsets.UTF_8);
            case 2:
                return ("{\"eventId\":" + random.nextLong() + ",\"eventType\":null,\"payload\":[]}")
                        .getBytes(StandardCharsets.UTF_8);
            case 3:
                return ("{\"eventId\":\"\\u0000\\ud800\",\"eventType\":\"" + "\u0000".repeat(3) + "\"}")
                        .getBytes(StandardCharsets.UTF_8);
            case 4:
                return ("{\"payload_version\":" + random.nextInt(4) + ",\"notifications\":[{\"trigger\":"
                        + (random.nextBoolean() ? "\"run:created\"" : "{}") + "}],\"run_id\":[1]}")
                        .getBytes(StandardCharsets.UTF_8);
            case 5:
                return new byte[0];
            default:
                return ("{\"type\":\"url_verification\",\"challenge\":" + random.nextInt() + ",\"requestId\":"
                        + random.nextDouble() + "}").getBytes(StandardCharsets.UTF_8);
        }
    }
}
