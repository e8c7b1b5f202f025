package io.webhookingest.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TraceParentTest {

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(nullValues = "null", value = {
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00, true",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-02, true",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01, false",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-03, false",
        "00-00000000000000000000000000000000-00f067aa0ba902b7-00, false",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-00, false",
        "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00, false",
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-00, false",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0g, false",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7_00, false",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-000, false",
        "null, false"})
    void unsampledOnlyWhenWellFormedAndTheSampledFlagIsClear(String traceParent, boolean unsampled) {
        assertEquals(unsampled, TraceParent.isUnsampled(traceParent));
    }
}
