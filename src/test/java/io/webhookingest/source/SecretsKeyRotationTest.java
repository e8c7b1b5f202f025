package io.webhookingest.source;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.webhookingest.testing.Fixtures;
import io.webhookingest.testing.KafkaBrokerResource;
import io.webhookingest.testing.Senders;

/**
 * After {@code ingest.secrets.key} is rotated (the old key moved to {@code previous-keys}), a secret sealed under the
 * old key still verifies deliveries, and is sealed again under the new key.
 */
@QuarkusTest
@TestProfile(SecretsKeyRotationTest.RotatedKey.class)
@WithTestResource(KafkaBrokerResource.class)
class SecretsKeyRotationTest {

    static final String OLD_KEY = "dGVzdC1vbmx5LWtleS1vZi13ZWJob29rLWluZ2VzdCE=";
    static final String NEW_KEY = "bmV3LXRlc3Qta2V5LWFmdGVyLXRoZS1yb3RhdGlvbiE=";
    static final String SECRET = "sealed-under-the-old-key";

    public static class RotatedKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ingest.secrets.key", NEW_KEY, "ingest.secrets.previous-keys", OLD_KEY);
        }
    }

    @Inject
    Pool pool;

    @Inject
    SourceRegistry registry;

    @AfterEach
    void deleteSource() {
        pool.preparedQuery("delete from source where name = 'gh-rotated'").execute().await()
                .atMost(Duration.ofSeconds(10));
        pool.preparedQuery("delete from secret_use where source = 'gh-rotated'").execute().await()
                .atMost(Duration.ofSeconds(10));
        registry.reload().await().atMost(Duration.ofSeconds(10));
    }

    @Test
    void aSecretSealedUnderThePreviousKeyStillVerifiesAndIsSealedAgainUnderTheNewOne() {
        SecretCipher old = new SecretCipher(Optional.of(OLD_KEY), List.of());
        String fingerprint = old.fingerprint(SECRET).orElseThrow();
        SecretCipher.Sealed sealed = old.seal("gh-rotated", fingerprint, SECRET);
        pool.preparedQuery("insert into source (name, settings) values ('gh-rotated', '{\"provider\": \"github\"}')")
                .execute().await().atMost(Duration.ofSeconds(10));
        pool.preparedQuery("insert into source_secret (source, fingerprint, key_id, sealed) values ($1, $2, $3, $4)")
                .execute(Tuple.of("gh-rotated", fingerprint, sealed.keyId(), Buffer.buffer(sealed.bytes())))
                .await().atMost(Duration.ofSeconds(10));
        registry.reload().await().atMost(Duration.ofSeconds(10));

        byte[] body = Fixtures.bytes("github", "push.json");
        given().contentType("application/json").headers(Senders.github(SECRET, "push", body)).body(body)
                .post("/webhooks/gh-rotated").then().statusCode(200);
        String newKeyId = new SecretCipher(Optional.of(NEW_KEY), List.of()).currentKeyId().orElseThrow();
        await().atMost(Duration.ofSeconds(10)).until(() -> newKeyId.equals(pool.preparedQuery(
                "select key_id from source_secret where source = 'gh-rotated'").execute()
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getString(0)));

        SecretCipher rotated = new SecretCipher(Optional.of(NEW_KEY), List.of());
        byte[] resealed = pool.preparedQuery("select sealed from source_secret where source = 'gh-rotated'")
                .execute().await().atMost(Duration.ofSeconds(10)).iterator().next().getBuffer(0).getBytes();
        assertEquals(Optional.of(SECRET), rotated.open("gh-rotated", fingerprint,
                new SecretCipher.Sealed(newKeyId, resealed)), "readable with the new key alone");
    }
}
