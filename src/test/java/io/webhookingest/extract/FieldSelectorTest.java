package io.webhookingest.extract;

import static io.webhookingest.testing.Requests.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.webhookingest.testing.Signatures;
import io.webhookingest.webhook.WebhookRequest;

class FieldSelectorTest {

    static final byte[] BODY = Signatures.utf8(
            "{\"event\":{\"id\":\"evt_1\",\"n\":42,\"empty\":\"\",\"none\":null,\"obj\":{},\"flag\":true}}");
    static final WebhookRequest REQUEST = request(BODY, "X-Delivery", " d-1 ");
    static final JsonNode JSON = JsonBody.parseObject(BODY).orElseThrow();

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(nullValues = "NONE", value = {
            "/event/id, evt_1",
            "/event/n, 42",
            "/event/flag, true",
            "/event/empty, NONE",
            "/event/none, NONE",
            "/event/obj, NONE",
            "/event/missing, NONE",
            "header:X-Delivery, d-1",
            "header:x-delivery, d-1",
            "header:X-Missing, NONE"})
    void selectsNonEmptyScalarsOnly(String spec, String expected) {
        assertEquals(Optional.ofNullable(expected), FieldSelector.parse(spec).select(REQUEST, JSON));
    }

    @Test
    void rejectsSpecificationsThatAreNeitherForm() {
        assertThrows(IllegalArgumentException.class, () -> FieldSelector.parse("event.id"));
        assertThrows(IllegalArgumentException.class, () -> FieldSelector.parse("header:"));
    }
}
