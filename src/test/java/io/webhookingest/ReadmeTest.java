package io.webhookingest;

import static io.webhookingest.testing.Signatures.hmacHex;
import static io.webhookingest.testing.Signatures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** The README's first commands must stay true: they are what a newcomer runs first. */
class ReadmeTest {

    static final Path README = Path.of("README.md");

    @Test
    void curlExampleIsSignedWithTheDevSecret() throws IOException {
        String readme = Files.readString(README);
        Matcher signature = Pattern.compile("X-Hubject-Signature: sha256=([0-9a-f]{64})").matcher(readme);
        Matcher body = Pattern.compile("-d '(\\{\"eventId\".*)'").matcher(readme);
        assertTrue(signature.find() && body.find(), "the README has a signed curl example");

        String devSecret = Files.readAllLines(Path.of("src/main/resources/application.properties")).stream()
                .filter(line -> line.startsWith("%dev.ingest.sources.hubject.secrets="))
                .map(line -> line.substring(line.indexOf('=') + 1)).findFirst().orElseThrow();
        assertTrue(readme.contains(devSecret), "the README names the dev secret");
        assertEquals(hmacHex("HmacSHA256", devSecret, utf8(body.group(1))), signature.group(1));
    }

    @Test
    void ciRunsExactlyTheReadmeTestCommand() throws IOException {
        String readme = Files.readString(README);
        Matcher commands = Pattern.compile("```shell\\n(\\./mvnw [^\\n#]*?)\\s+#[^\\n]*\\n(\\./mvnw [^\\n#]*?)\\s+#")
                .matcher(readme);
        assertTrue(commands.find(), "the README starts with the run and test commands");
        String testCommand = commands.group(2).trim();
        List<String> ciCommands = Files.readAllLines(Path.of(".ci/run")).stream().map(String::trim)
                .filter(line -> line.startsWith("./mvnw")).toList();
        assertEquals(List.of(testCommand), ciCommands);
    }
}
