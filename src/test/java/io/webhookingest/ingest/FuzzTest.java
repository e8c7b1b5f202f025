package io.webhookingest.ingest;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.BiFunction;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.webhookingest.testing.Fixtures;
import io.webhookingest.testing.KafkaBrokerResource;
import io.webhookingest.testing.ProvidersProfile;
import io.webhookingest.testing.RawHttp;
import io.webhookingest.testing.Senders;
import io.webhookingest.testing.Signatures;

/**
 * Random input against every source and every parser, whatever arrives: the answer is a 2xx or a 4xx problem, never a
 * 5xx (the database is up, so not even {@code store_unavailable}). Two kinds of rounds: unsigned noise (signature headers, paths, bodies), and
 * deliveries validly signed for each provider whose bodies, URL tails and unsigned headers are mutated, so that
 * every extractor meets hostile input too. The seed is fixed ({@code -Dfuzz.seed=…} picks another) and is in every
 * failure message, so a failure can be replayed.
 */
@QuarkusTest
@TestProfile(ProvidersProfile.class)
@WithTestResource(KafkaBrokerResource.class)
class FuzzTest {

    static final long DEFAULT_SEED = 20261201L;
    static final int NOISE_ROUNDS = 300;
    static final int SIGNED_ROUNDS = 700;
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
            "algorithm=HmacSHA256;headers=x-nope;signature=00", "algorithm=HmacMD5;headers=;signature=00", "v0=",
            "v0=gg", "-1", "99999999999999999999", "1e9", " ", "=", ";;;", ",,,", "\u00e9\u00e8", "a".repeat(4000),
            "v1=" + "A".repeat(3000), "application/json", "text/plain; charset=utf-16", "text/html", ";;;=");
    /** Values that have broken parsers somewhere: controls, bidi, bad escapes, huge and odd numbers, odd types. */
    static final List<String> NASTY = List.of("", " ", "\u0000", "\r\n", "a\nb", "\t", "\u0085", "\u202e", "\u2028",
            "\u20ac".repeat(600), "x".repeat(3000), "%zz", "%", "%0d%0a", "%E2%82", "..", "/", "\\", "\"", "{}", "[]",
            "null", "-0", "1e400", "9".repeat(40), "\ud83d\ude00", "caf\u00e9");
    static final List<String> TAILS = List.of("", "/", "/order/o-1", "/order/%zz", "/order/%", "/order/%0d%0a",
            "/order/%E2%82", "/order/a%2Fb", "/webhook/terra-boot/order/" + "o".repeat(2000), "/order/%e2%80%ae",
            "/order//", "/order/%00", "/order/+%2B+");

    static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URI root;

    /** One provider's signed delivery: its path, its fixture bodies, and how its sender signs a body for a path. */
    record Signer(String path, List<byte[]> fixtures, BiFunction<String, byte[], Map<String, String>> sign) {
    }

    final List<Signer> signers = List.of(
            new Signer("/webhooks/hubject", List.of(Fixtures.bytes("hubject", "contract-created.json"),
                    Fixtures.bytes("hubject", "root-cert-added.json")),
                    (path, body) -> Senders.hubject("test-hubject-secret", body)),
            new Signer("/webhooks/terraform", List.of(Fixtures.bytes("terraform", "run-errored.json"),
                    Fixtures.bytes("terraform", "two-notifications.json"),
                    Fixtures.bytes("terraform", "verification.json"),
                    Fixtures.bytes("terraform", "assessment-drifted.json"),
                    Fixtures.bytes("terraform", "auto-destroy-reminder.json")),
                    (path, body) -> Senders.terraform(ProvidersProfile.TERRAFORM_TOKEN, body)),
            new Signer("/webhooks/entrupy", List.of(Fixtures.bytes("entrupy", "session-completed.json")),
                    (path, body) -> Senders.entrupy(ProvidersProfile.ENTRUPY_SECRET, body)),
            new Signer("/webhooks/terratrue", List.of(Fixtures.bytes("terratrue", "launch-created.json")),
                    (path, body) -> Senders.terratrue(ProvidersProfile.TERRATRUE_SECRET, body)),
            new Signer("/webhooks/xpanse", List.of(Fixtures.bytes("xpanse", "terra-boot-result.json")),
                    (path, body) -> Senders.xpanse(ProvidersProfile.XPANSE_SECRET,
                            ProvidersProfile.XPANSE_PUBLIC_URL + path.substring("/webhooks/xpanse".length()), body)),
            new Signer("/webhooks/standard-webhooks", List.of(Fixtures.bytes("standard-webhooks", "invoice-paid.json")),
                    (path, body) -> Senders.standardWebhooks(ProvidersProfile.STANDARD_WEBHOOKS_SECRET,
                            "msg_" + UUID.randomUUID(), body)),
            new Signer("/webhooks/github", List.of(Fixtures.bytes("github", "push.json")),
                    (path, body) -> Senders.github(ProvidersProfile.GITHUB_SECRET, "push", body)),
            new Signer("/webhooks/stripe", List.of(Fixtures.bytes("stripe", "payment-intent-succeeded.json")),
                    (path, body) -> Senders.stripe(ProvidersProfile.STRIPE_SECRET, body)),
            new Signer("/webhooks/slack", List.of(Fixtures.bytes("slack", "message-event.json"),
                    Fixtures.bytes("slack", "url-verification.json")),
                    (path, body) -> Senders.slack(ProvidersProfile.SLACK_SECRET, body)),
            new Signer("/webhooks/acme", List.of(("{\"delivery\":{\"id\":\"d-1\",\"account\":\"acct-1\"},"
                    + "\"amount\":12}").getBytes(StandardCharsets.UTF_8)),
                    (path, body) -> Senders.acme(ProvidersProfile.ACME_SECRET, "invoice.created", body)));

    @Test
    void noDeliveryEverGetsA5xx() throws Exception {
        long seed = Long.getLong("fuzz.seed", DEFAULT_SEED);
        Random random = new Random(seed);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        List<String> failures = new ArrayList<>();
        for (int round = 0; round < NOISE_ROUNDS; round++) {
            String path = PATHS.get(random.nextInt(PATHS.size()));
            byte[] body = noise(random);
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
            check(client, request.build(), "noise round " + round, failures);
        }
        for (int round = 0; round < SIGNED_ROUNDS; round++) {
            Signer signer = signers.get(random.nextInt(signers.size()));
            byte[] body = mutate(random, signer.fixtures().get(random.nextInt(signer.fixtures().size())));
            String path = signer.path() + (signer.path().contains("xpanse") ? TAILS.get(random.nextInt(TAILS.size()))
                    : "");
            Map<String, String> headers = new LinkedHashMap<>(signer.sign().apply(path, body));
            if (random.nextInt(3) == 0) {
                String unsigned = random.nextBoolean() ? "X-GitHub-Delivery" : "X-GitHub-Event";
                headers.put(unsigned, headerValue(NASTY.get(random.nextInt(NASTY.size()))));
            }
            RawHttp.Answer answer = RawHttp.post(root.getHost(), root.getPort(), path, headers, body);
            boolean refusedByHttp = !isUri(path) || headers.values().stream().anyMatch(FuzzTest::forbiddenByHttp);
            boolean problem = answer.text().contains(Problem.MEDIA_TYPE) || refusedByHttp && answer.status() == 400;
            if (answer.status() >= 500 || answer.status() >= 400 && !problem) {
                failures.add("signed round " + round + " " + path + " -> " + answer.text());
            }
        }
        assertTrue(failures.isEmpty(), "seed " + seed + " (replay with -Dfuzz.seed=" + seed + "): " + failures);
    }

    private static void check(HttpClient client, HttpRequest request, String round, List<String> failures)
            throws Exception {
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        boolean problem = response.headers().firstValue("Content-Type").orElse("").equals(Problem.MEDIA_TYPE);
        if (response.statusCode() >= 500 || response.statusCode() >= 400 && !problem) {
            failures.add(round + " " + request.uri() + " -> " + response.statusCode() + " " + response.body());
        }
    }

    /** The HTTP layer refuses a header value with a control character (other than TAB) with a bare 400 (README). */
    private static boolean forbiddenByHttp(String headerValue) {
        return headerValue.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7F);
    }

    /** The HTTP layer answers a request target that is not a URI with a bare 400, before any route (README). */
    private static boolean isUri(String path) {
        try {
            URI.create(path);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** A fixture with a few of its values replaced by hostile ones, or cut short, or with bytes spliced in. */
    static byte[] mutate(Random random, byte[] fixture) throws Exception {
        int kind = random.nextInt(10);
        if (kind == 0) {
            return fixture;
        }
        if (kind == 1) {
            return Arrays.copyOf(fixture, random.nextInt(fixture.length));
        }
        if (kind == 2) {
            byte[] spliced = fixture.clone();
            for (int i = 0; i < 4; i++) {
                spliced[random.nextInt(spliced.length)] = (byte) random.nextInt(256);
            }
            return spliced;
        }
        JsonNode tree = JSON.readTree(fixture);
        int mutations = 1 + random.nextInt(4);
        for (int i = 0; i < mutations; i++) {
            replaceSomewhere(random, tree);
        }
        return JSON.writeValueAsBytes(tree);
    }

    private static void replaceSomewhere(Random random, JsonNode node) {
        if (node instanceof ObjectNode object && object.size() > 0) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            String name = names.get(random.nextInt(names.size()));
            JsonNode child = object.get(name);
            if (child.isContainerNode() && random.nextInt(3) > 0) {
                replaceSomewhere(random, child);
            } else {
                object.set(name, hostile(random));
            }
        } else if (node instanceof ArrayNode array && array.size() > 0) {
            int index = random.nextInt(array.size());
            if (array.get(index).isContainerNode() && random.nextInt(3) > 0) {
                replaceSomewhere(random, array.get(index));
            } else {
                array.set(index, hostile(random));
            }
        }
    }

    private static JsonNode hostile(Random random) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        return switch (random.nextInt(8)) {
            case 0 -> nodes.nullNode();
            case 1 -> nodes.numberNode(random.nextLong());
            case 2 -> nodes.numberNode(random.nextDouble() * 1e300);
            case 3 -> nodes.booleanNode(random.nextBoolean());
            case 4 -> nodes.objectNode().put("x", NASTY.get(random.nextInt(NASTY.size())));
            case 5 -> nodes.arrayNode().add(NASTY.get(random.nextInt(NASTY.size())));
            default -> nodes.textNode(NASTY.get(random.nextInt(NASTY.size())));
        };
    }

    /** A header value that stays one header on the wire: CR and LF would end it. */
    private static String headerValue(String value) {
        return value.replace('\r', '?').replace('\n', '?');
    }

    private static byte[] noise(Random random) {
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
