package io.webhookingest.ingest;

import static io.restassured.RestAssured.given;
import static io.webhookingest.testing.Topics.header;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import io.webhookingest.extract.FieldSelector;
import io.webhookingest.testing.Fixtures;
import io.webhookingest.testing.KafkaBrokerResource;
import io.webhookingest.testing.ProvidersProfile;
import io.webhookingest.testing.Senders;
import io.webhookingest.testing.Topics;

/**
 * Every provider through the real stack, signed as its sender signs: a valid delivery becomes one record with the
 * provider's type and subject, a redelivery is a duplicate, and a tampered body or a wrong secret is refused.
 */
@QuarkusTest
@TestProfile(ProvidersProfile.class)
@WithTestResource(KafkaBrokerResource.class)
class ProviderDeliveriesTest {

    /** Signs a body for one source, given the secret and a token that makes the delivery unique. */
    interface Signer {
        Map<String, String> sign(String secret, String token, byte[] body);
    }

    /**
     * One provider's delivery.
     *
     * @param source   the source name
     * @param secret   the configured secret
     * @param wrong    a secret of the right shape that is not configured
     * @param path     the request path, given the token
     * @param body     the body, given the token
     * @param signer   how its sender signs
     * @param type     the expected ce_type
     * @param subject  the expected subject, given the token and body
     */
    record ProviderCase(String source, String secret, String wrong, Function<String, String> path,
            Function<String, byte[]> body, Signer signer, String type,
            BiFunction<String, byte[], String> subject) {

        @Override
        public String toString() {
            return source;
        }
    }

    static Stream<ProviderCase> providers() {
        String xpanseTail = "/webhook/terra-boot/order/o-";
        return Stream.of(
                new ProviderCase("hubject", HubjectDeliveryTest.SECRET, "wrong", token -> "/webhooks/hubject",
                        HubjectDeliveryTest::contractCreated, (secret, token, body) -> Senders.hubject(secret, body),
                        "oem.contract.created", (token, body) -> "TESTEMAID"),
                new ProviderCase("terraform", ProvidersProfile.TERRAFORM_TOKEN, "wrong", token -> "/webhooks/terraform",
                        token -> replace("terraform", "run-completed.json", "run-CZcmD7eagjhyX0vN", "run-" + token),
                        (secret, token, body) -> Senders.terraform(secret, body), "run:completed",
                        (token, body) -> "run-" + token),
                new ProviderCase("entrupy", ProvidersProfile.ENTRUPY_SECRET, "wrong", token -> "/webhooks/entrupy",
                        token -> replace("entrupy", "session-completed.json", "evt-6f1c2b7a", "evt-" + token),
                        (secret, token, body) -> Senders.entrupy(secret, body), "session.completed",
                        (token, body) -> "ETXXX-1234"),
                new ProviderCase("terratrue", ProvidersProfile.TERRATRUE_SECRET, "wrong", token -> "/webhooks/terratrue",
                        token -> replace("terratrue", "launch-created.json", "c0a80101-7d1e-4b8e-9a41-5e2a7c6f0d21",
                                token),
                        (secret, token, body) -> Senders.terratrue(secret, body), "terratrue.webhook",
                        (token, body) -> FieldSelector.BodyDigest.of(body)),
                new ProviderCase("xpanse", ProvidersProfile.XPANSE_SECRET, "wrong",
                        token -> "/webhooks/xpanse" + xpanseTail + token,
                        token -> replace("xpanse", "terra-boot-result.json", "2c5e1a2b-7d9e-4f0a-b6c1-3e8d9f0a1b2c",
                                token),
                        (secret, token, body) -> Senders.xpanse(secret,
                                ProvidersProfile.XPANSE_PUBLIC_URL + xpanseTail + token, body),
                        "xpanse.order.succeeded", (token, body) -> "o-" + token),
                standardWebhooks((secret, token, body) -> Senders.standardWebhooks(secret, "msg_" + token, body)),
                standardWebhooks((secret, token, body) -> Senders.svix(secret, "msg_" + token, body)),
                new ProviderCase("github", ProvidersProfile.GITHUB_SECRET, "wrong", token -> "/webhooks/github",
                        token -> replace("github", "push.json", "59b20b8d5c6ff8d09518454d4dd8b7b30f095ab5", token),
                        (secret, token, body) -> Map.of("X-Hub-Signature-256",
                                Senders.github(secret, "push", body).get("X-Hub-Signature-256"),
                                "X-GitHub-Event", "push", "X-GitHub-Delivery", token),
                        "push", (token, body) -> "octo-org/hello-world"),
                new ProviderCase("stripe", ProvidersProfile.STRIPE_SECRET, "whsec_wrong", token -> "/webhooks/stripe",
                        token -> replace("stripe", "payment-intent-succeeded.json", "evt_3MtwBwLkdIwHu7ix28a3tqPa",
                                "evt_" + token),
                        (secret, token, body) -> Senders.stripe(secret, body), "payment_intent.succeeded",
                        (token, body) -> "pi_3MtwBwLkdIwHu7ix28a3tqPa"),
                new ProviderCase("slack", ProvidersProfile.SLACK_SECRET, "wrong", token -> "/webhooks/slack",
                        token -> replace("slack", "message-event.json", "Ev123ABC456", "Ev" + token),
                        (secret, token, body) -> Senders.slack(secret, body), "message",
                        (token, body) -> "C123ABC456"),
                new ProviderCase("acme", ProvidersProfile.ACME_SECRET, "wrong", token -> "/webhooks/acme",
                        token -> ("{\"delivery\":{\"id\":\"" + token + "\",\"account\":\"acct-7\"}}")
                                .getBytes(StandardCharsets.UTF_8),
                        (secret, token, body) -> Senders.acme(secret, "invoice.created", body), "invoice.created",
                        (token, body) -> "acct-7"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void validDeliveryIsPublishedWithTheProvidersTypeAndSubjectAndARedeliveryIsADuplicate(ProviderCase provider) {
        String token = UUID.randomUUID().toString();
        byte[] body = provider.body().apply(token);
        String path = provider.path().apply(token);

        String id = post(path, body, provider.signer().sign(provider.secret(), token, body))
                .statusCode(200).body("status", equalTo("accepted")).extract().path("events[0].id");

        ConsumerRecord<String, byte[]> record = Topics.awaitCloudEvent("webhooks." + provider.source(), id);
        String subject = provider.subject().apply(token, body);
        assertEquals(provider.type(), header(record, "ce_type"));
        assertEquals(subject, header(record, "ce_subject"));
        assertEquals(subject, record.key());
        assertEquals("/webhooks/" + provider.source(), header(record, "ce_source"));
        assertArrayEquals(body, record.value());

        post(path, body, provider.signer().sign(provider.secret(), token, body))
                .statusCode(200).body("status", equalTo("duplicate")).body("events[0].id", equalTo(id));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void tamperedBodyIsRefused(ProviderCase provider) {
        String token = UUID.randomUUID().toString();
        byte[] body = provider.body().apply(token);
        Map<String, String> headers = provider.signer().sign(provider.secret(), token, body);
        byte[] tampered = (new String(body, StandardCharsets.UTF_8) + " ").getBytes(StandardCharsets.UTF_8);

        post(provider.path().apply(token), tampered, headers)
                .statusCode(401).contentType(Problem.MEDIA_TYPE).body("reason", equalTo("signature_mismatch"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void wrongSecretIsRefused(ProviderCase provider) {
        String token = UUID.randomUUID().toString();
        byte[] body = provider.body().apply(token);

        post(provider.path().apply(token), body, provider.signer().sign(provider.wrong(), token, body))
                .statusCode(401).contentType(Problem.MEDIA_TYPE).body("reason", equalTo("signature_mismatch"));
    }

    @org.junit.jupiter.api.Test
    void stripeAcceptsTheOldAndTheNewSecretWhileRolling() {
        for (String secret : new String[] {ProvidersProfile.STRIPE_OLD_SECRET, ProvidersProfile.STRIPE_SECRET}) {
            byte[] body = replace("stripe", "payment-intent-succeeded.json", "evt_3MtwBwLkdIwHu7ix28a3tqPa",
                    "evt_" + UUID.randomUUID());
            post("/webhooks/stripe", body, Senders.stripe(secret, body))
                    .statusCode(200).body("status", equalTo("accepted"));
        }
    }

    /** A Standard Webhooks delivery, signed under one of the two header families the provider accepts. */
    static ProviderCase standardWebhooks(Signer signer) {
        return new ProviderCase("standard-webhooks", ProvidersProfile.STANDARD_WEBHOOKS_SECRET,
                "whsec_" + Base64.getEncoder().encodeToString("wrong-key".getBytes(StandardCharsets.UTF_8)),
                token -> "/webhooks/standard-webhooks",
                token -> Fixtures.bytes("standard-webhooks", "invoice-paid.json"), signer, "invoice.paid",
                (token, body) -> "msg_" + token);
    }

    static ValidatableResponse post(String path, byte[] body, Map<String, String> headers) {
        return given().contentType("application/json").headers(headers).body(body).post(path).then();
    }

    static byte[] replace(String provider, String fixture, String literal, String replacement) {
        return Fixtures.replacing(provider, fixture, literal, replacement);
    }
}
