package io.webhookingest.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/** The secrets a packaged run refuses are exactly the dev profile's demo secrets. */
class DemoSecretsTest {

    @Test
    void everyDevProfileSecretIsKnownAsADemoSecret() throws IOException {
        Set<String> devSecrets = Files.readAllLines(Path.of("src/main/resources/application.properties")).stream()
                .filter(line -> line.startsWith("%dev.") && line.contains("="))
                .filter(line -> {
                    String key = line.substring(0, line.indexOf('='));
                    return key.endsWith(".secrets") || key.endsWith(".token") || key.endsWith(".key");
                })
                .flatMap(line -> Arrays.stream(line.substring(line.indexOf('=') + 1).split(",")))
                .map(String::trim).collect(Collectors.toSet());
        assertEquals(devSecrets, DemoSecrets.VALUES);
    }
}
