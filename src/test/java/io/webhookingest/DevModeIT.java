package io.webhookingest;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.webhookingest.testing.AppProcess;
import io.webhookingest.testing.TestDatabase;

/**
 * A newcomer's first minutes, as the README has them: {@code ./mvnw quarkus:dev} on a copy of the project, then the
 * README's curl line and its kcat line, in order and without waiting. The start prints no ERROR and no WARN but the
 * embedded broker's own line, and the record is on the topic when kcat reads it. Only the ports and the database
 * differ from the README's, so that this runs beside anything else on the machine.
 */
class DevModeIT {

    /** What the in-process KRaft broker says when it formats a fresh log: expected, harmless. */
    static final List<String> KNOWN_LINES = List.of("[org.apache.kafka.controller.QuorumController]");
    static final Duration STARTUP = Duration.ofMinutes(4);

    @Test
    void theReadmeRunPostAndReadCommandsWorkInOrderOnAFreshCopy() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String curl = block(readme, "curl -i http://localhost:8080/webhooks/hubject");
        String kcat = block(readme, "kcat -b");
        Path copy = Files.createTempDirectory("webhook-ingest-dev-");
        copyProject(copy);
        int port = AppProcess.freePort();
        int managementPort = AppProcess.freePort();
        Path log = copy.resolve("dev.log");
        try (TestDatabase database = TestDatabase.create()) {
            Process dev = new ProcessBuilder("./mvnw", "-B", "quarkus:dev", "-Dquarkus.http.port=" + port,
                    "-Dquarkus.management.port=" + managementPort, "-Dquarkus.console.enabled=false",
                    "-Dquarkus.analytics.disabled=true", "-Ddebug=false",
                    "-Dquarkus.datasource.reactive.url=" + database.reactiveUrl())
                    .directory(copy.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                await().atMost(STARTUP).pollInterval(Duration.ofSeconds(1)).until(() -> {
                    assertTrue(dev.isAlive(), () -> "dev mode exited: " + tail(log));
                    return Files.readString(log).contains("Listening on: http://localhost:" + port);
                });

                String posted = bash(copy, curl.replace("localhost:8080", "localhost:" + port));
                assertTrue(posted.contains("\"status\":\"accepted\""), posted);
                String read = bash(copy, kcat);
                assertTrue(read.contains("key=DE8ACC12345678"), "kcat shows the record at once: " + read);
                assertTrue(read.contains("ce_type=oem.contract.created"), read);

                List<String> alarming = Files.readAllLines(log).stream()
                        .filter(line -> line.contains(" WARN ") || line.contains(" ERROR ") || line.startsWith("[ERROR]"))
                        .filter(line -> KNOWN_LINES.stream().noneMatch(line::contains)).toList();
                assertEquals(List.of(), alarming, "a clean dev-mode start logs no ERROR or WARN");
            } finally {
                dev.toHandle().descendants().forEach(ProcessHandle::destroy);
                dev.destroy();
                if (!dev.waitFor(60, TimeUnit.SECONDS)) {
                    dev.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
                    dev.destroyForcibly();
                }
            }
        }
    }

    /** The README's shell command that starts with {@code start}, continuation lines joined. */
    static String block(String readme, String start) {
        Matcher command = Pattern.compile("```shell\\n(" + Pattern.quote(start) + "(?:[^`]|`[^`])*?)\\n```")
                .matcher(readme);
        assertTrue(command.find(), "the README has a command starting with " + start);
        return command.group(1).replace("\\\n", " ");
    }

    private static String bash(Path directory, String command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("bash", "-c", command).directory(directory.toFile())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), command + " did not finish");
        assertEquals(0, process.exitValue(), command + ": " + output);
        return output;
    }

    private static void copyProject(Path target) throws IOException {
        for (String top : List.of("pom.xml", "mvnw", ".mvn", "src/main", "README.md")) {
            Path from = Path.of(top);
            try (Stream<Path> tree = Files.walk(from)) {
                for (Path path : (Iterable<Path>) tree::iterator) {
                    Path to = target.resolve(path.toString());
                    if (Files.isDirectory(path)) {
                        Files.createDirectories(to);
                    } else {
                        Files.createDirectories(to.getParent());
                        Files.copy(path, to);
                    }
                }
            }
        }
        target.resolve("mvnw").toFile().setExecutable(true);
    }

    private static String tail(Path log) {
        try {
            List<String> lines = new ArrayList<>(Files.readAllLines(log));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return e.toString();
        }
    }
}
