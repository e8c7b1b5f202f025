package io.webhookingest.testing;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/** Requests to the management interface of the application under test (health, metrics, OpenAPI, admin API). */
public final class Management {

    /** Quarkus serves the management interface on this port in test mode. */
    public static final int TEST_PORT = 9001;
    /** The admin token of the test profile. */
    public static final String ADMIN_TOKEN = "test-admin-token-for-the-test-suite";

    private Management() {
    }

    public static RequestSpecification given() {
        return RestAssured.given().port(TEST_PORT);
    }

    /** A request carrying the admin token. */
    public static RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + ADMIN_TOKEN);
    }
}
