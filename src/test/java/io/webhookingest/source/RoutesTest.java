package io.webhookingest.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RoutesTest {

    static final Routes ROUTES = Routes.parse(List.of("run:errored=alerts", "run:*=webhooks.tf.runs",
            "ping=record-only", "check.?=checks", "a.b=dots"), "webhooks.tf");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "run:errored, alerts",
        "run:completed, webhooks.tf.runs",
        "run:, webhooks.tf.runs",
        "ping, record-only",
        "pings, webhooks.tf",
        "check.1, checks",
        "check.10, webhooks.tf",
        "axb, webhooks.tf",
        "a.b, dots",
        "organization:created, webhooks.tf",
    })
    void firstMatchingRuleWinsOtherwiseTheSourcesTopic(String type, String expected) {
        assertEquals(expected, ROUTES.topicFor(type).orElse(Routes.RECORD_ONLY));
    }

    @Test
    void anEventWithoutTypeGoesToTheSourcesTopic() {
        assertEquals(Optional.of("webhooks.tf"), ROUTES.topicFor(null));
    }

    @Test
    void topicsListsEveryTopicOnceTheSourcesFirst() {
        assertEquals(List.of("webhooks.tf", "alerts", "webhooks.tf.runs", "checks", "dots"), ROUTES.topics());
    }

    @ParameterizedTest
    @ValueSource(strings = {"run:*", "=alerts", "run:*=", "run:*=not a topic", "run:*=topic/with/slash"})
    void malformedRuleIsRefusedNamingIt(String rule) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> Routes.parse(List.of(rule), "webhooks.tf"));
        assertTrue(refused.getMessage().contains("'" + rule + "'"), refused.getMessage());
    }
}
