package io.webhookingest.admin;

import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.webhookingest.ingest.Problem;
import io.webhookingest.testing.KafkaBrokerResource;
import io.webhookingest.testing.Management;

/** Without a token the admin API does not exist, whatever credentials a request carries. */
@QuarkusTest
@TestProfile(AdminDisabledTest.NoToken.class)
@WithTestResource(KafkaBrokerResource.class)
class AdminDisabledTest {

    public static class NoToken implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ingest.admin.token", "");
        }
    }

    @Test
    void everyAdminPathIsNotFound() {
        Management.given().get("/admin/events").then().statusCode(404).contentType(Problem.MEDIA_TYPE)
                .body("reason", equalTo("admin_disabled"));
        Management.given().header("Authorization", "Bearer ").post("/admin/replay").then().statusCode(404);
        Management.admin().get("/admin/events").then().statusCode(404);
        Management.given().get("/console/login").then().statusCode(404);
        Management.given().redirects().follow(false).get("/console/overview").then().statusCode(404);
    }
}
