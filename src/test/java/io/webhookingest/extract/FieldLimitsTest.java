package io.webhookingest.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Values that reach the unique index, Kafka keys and {@code ce_*} headers: bounded in bytes, free of controls. */
class FieldLimitsTest {

    static Extraction identity(String identity) {
        return FieldLimits.enforce(Extraction.of(ExtractedEvent.of(identity, "type", "subject")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain-id", "caf\u00e9", "\ud83d\ude00 emoji", "tab-free", "\u00a0no-break"})
    void acceptsPrintableValues(String value) {
        assertInstanceOf(Extraction.Events.class, identity(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\u0000b", "a\rb", "a\nb", "a\tb", "a\u001bb", "a\u007fb", "a\u0085b", "a\u009fb",
            "a\u202eb", "a\u202ab", "a\u2066b", "a\u2069b", "a\u200fb", "a\u061cb", "a\u2028b", "a\ud800b",
            "a\udc00", "\ud83d"})
    void refusesControlsBidiAndUnpairedSurrogates(String value) {
        assertInstanceOf(Extraction.Malformed.class, identity(value), value.codePoints()
                .mapToObj(Integer::toHexString).toList().toString());
    }

    @Test
    void limitsAreInUtf8Bytes() {
        assertInstanceOf(Extraction.Events.class, identity("x".repeat(1024)));
        assertInstanceOf(Extraction.Malformed.class, identity("x".repeat(1025)));
        assertInstanceOf(Extraction.Events.class, identity("\u20ac".repeat(341) + "x"));
        Extraction tooLong = identity("\u20ac".repeat(342));
        assertEquals("The event identity is longer than 1024 bytes in UTF-8",
                ((Extraction.Malformed) tooLong).detail());
        assertInstanceOf(Extraction.Malformed.class, FieldLimits.enforce(Extraction.of(
                ExtractedEvent.of("id", "t".repeat(257), "subject"))));
    }
}
