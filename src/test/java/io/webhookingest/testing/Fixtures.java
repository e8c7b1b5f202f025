package io.webhookingest.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Sample deliveries under {@code src/test/resources/fixtures/<provider>/}, taken from the providers' documents. */
public final class Fixtures {

    private Fixtures() {
    }

    public static byte[] bytes(String provider, String name) {
        String path = "/fixtures/" + provider + "/" + name;
        try (InputStream in = Fixtures.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fixture with one literal replaced, e.g. a documented event id by a fresh one, leaving every other byte. */
    public static byte[] replacing(String provider, String name, String literal, String replacement) {
        String text = new String(bytes(provider, name), StandardCharsets.UTF_8);
        if (!text.contains(literal)) {
            throw new IllegalArgumentException(name + " does not contain " + literal);
        }
        return text.replace(literal, replacement).getBytes(StandardCharsets.UTF_8);
    }
}
