package io.webhookingest.testing;

import static io.restassured.RestAssured.given;
import static io.webhookingest.testing.Signatures.hmacHex;

import io.restassured.response.ValidatableResponse;

/** Hubject deliveries for tests: the test profile's secrets, the documented sample, and signed posts. */
public final class Hubject {

    public static final String SECRET = "test-hubject-secret";
    public static final String NEXT_SECRET = "test-hubject-secret-next";
    public static final String TOPIC = "webhooks.hubject";
    public static final String SIGNATURE = "X-Hubject-Signature";

    private Hubject() {
    }

    /** Hubject's documented contract-created sample with another event id. */
    public static byte[] contractCreated(String eventId) {
        return Fixtures.replacing("hubject", "contract-created.json", "caf56bee-f90d-4e81-a862-7e0d0f21d306", eventId);
    }

    /** Posts a body signed the documented way to the application under test. */
    public static ValidatableResponse deliver(byte[] body, String secret) {
        return given()
                .contentType("application/json")
                .header(SIGNATURE, "sha256=" + hmacHex("HmacSHA256", secret, body))
                .body(body)
                .post("/webhooks/hubject")
                .then();
    }
}
