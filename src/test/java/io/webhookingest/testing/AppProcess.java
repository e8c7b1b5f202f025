package io.webhookingest.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The packaged application ({@code target/quarkus-app/quarkus-run.jar}) running as its own process, in the
 * production profile, so that tests can restart it, stop it gracefully with SIGTERM, or kill it outright. Its output
 * goes to {@code target/it-logs/<name>.log}.
 */
public final class AppProcess implements AutoCloseable {

    static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    static final Path LOGS = Path.of("target", "it-logs");

    private static final int FIRST_FIXED_PORT = 20_000;
    private static final int FIXED_PORTS = 12_000;
    private static int nextPort = (int) (ProcessHandle.current().pid() * 101 % FIXED_PORTS);

    private static final String WARM_UP = "ingest.warm-up.duration";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final int port;
    private final int managementPort;
    private final Process process;
    private final List<String> notReady = new CopyOnWriteArrayList<>();

    private AppProcess(String name, int port, int managementPort, Process process) {
        this.name = name;
        this.port = port;
        this.managementPort = managementPort;
        this.process = process;
    }

    /** Starts the application with these configuration properties (as -D options) and waits until it is ready. */
    public static AppProcess start(String name, int port, Map<String, String> properties) {
        return start(name, port, properties, Map.of());
    }

    /** As {@link #start(String, int, Map)}, with extra environment variables. */
    public static AppProcess start(String name, int port, Map<String, String> properties,
            Map<String, String> environment) {
        return start(name, port, properties, environment, List.of("-Xmx512m"));
    }

    /** As {@link #start(String, int, Map, Map)}, with these JVM options. */
    public static AppProcess start(String name, int port, Map<String, String> properties,
            Map<String, String> environment, List<String> jvmOptions) {
        return start(name, port, properties, environment, currentJava(), jvmOptions);
    }

    /** As {@link #start(String, int, Map, Map, List)}, on the JVM of this {@code java} command. */
    public static AppProcess start(String name, int port, Map<String, String> properties,
            Map<String, String> environment, String java, List<String> jvmOptions) {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(JAR + " is missing; integration tests run after the package phase");
        }
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(jvmOptions);
        Map<String, String> all = new LinkedHashMap<>(properties);
        all.put("quarkus.http.port", Integer.toString(port));
        // Tests want an instance ready at once; those of the warm-up say otherwise, or blank for the default.
        all.putIfAbsent(WARM_UP, "0s");
        if (all.get(WARM_UP).isBlank()) {
            all.remove(WARM_UP);
        }
        int managementPort = Integer.parseInt(all.computeIfAbsent("quarkus.management.port",
                key -> Integer.toString(freePort())));
        all.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(JAR.toString());
        try {
            Files.createDirectories(LOGS);
            Path log = LOGS.resolve(name + ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
            builder.environment().putAll(environment);
            Process process = builder.start();
            AppProcess app = new AppProcess(name, port, managementPort, process);
            app.awaitReady();
            return app;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts the application with a configuration it must refuse, waits for it to exit, and returns its log; fails
     * if it exits cleanly or keeps running.
     */
    public static String startExpectingRefusal(String name, Map<String, String> properties) {
        Path log = LOGS.resolve(name + ".log");
        try {
            Files.createDirectories(LOGS);
            Files.deleteIfExists(log);
            List<String> command = new ArrayList<>();
            command.add(currentJava());
            command.add("-Dquarkus.http.port=" + freePort());
            command.add("-Dquarkus.management.port=" + freePort());
            properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
            command.add("-jar");
            command.add(JAR.toString());
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(name + " kept running with a configuration it should refuse");
            }
            if (process.exitValue() == 0) {
                throw new IllegalStateException(name + " exited cleanly with a configuration it should refuse");
            }
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The {@code java} command of the JVM running the tests. */
    public static String currentJava() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /**
     * A free local port for a new instance, below the kernel's ephemeral range (32768 and up on Linux): a port the
     * kernel hands out itself can be taken as the local end of some outgoing connection between this check and the
     * instance's bind. Successive calls move on through the range, starting at an offset from this JVM's pid so that
     * concurrent test JVMs start apart.
     */
    public static synchronized int freePort() {
        for (int tried = 0; tried < FIXED_PORTS; tried++) {
            int candidate = FIRST_FIXED_PORT + Math.floorMod(nextPort++, FIXED_PORTS);
            if (isFree(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no free port from " + FIRST_FIXED_PORT + " to "
                + (FIRST_FIXED_PORT + FIXED_PORTS - 1));
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    /** The running application's process, for measuring what it uses. */
    public ProcessHandle handle() {
        return process.toHandle();
    }

    public int port() {
        return port;
    }

    public int managementPort() {
        return managementPort;
    }

    /** A URL on the public port, where deliveries go. */
    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** A URL on the management interface: health, metrics, the admin API. */
    public URI managementUri(String path) {
        return URI.create("http://127.0.0.1:" + managementPort + path);
    }

    /** The readiness documents the instance answered while it was starting, before it was ready. */
    public List<String> readinessWhileStarting() {
        return List.copyOf(notReady);
    }

    /** The readiness status code and document, as a load balancer sees them. */
    public HttpResponse<String> readiness() {
        try {
            return HTTP.send(HttpRequest.newBuilder(managementUri("/q/health/ready")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What the instance's {@code /q/metrics} shows now, as Prometheus text. */
    public String metrics() {
        try {
            return HTTP.send(HttpRequest.newBuilder(managementUri("/q/metrics")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** True while this instance holds the relay lease, as its readiness details report. */
    public boolean isPublishing() {
        return readiness().body().replace(" ", "").contains("\"publishing\":true");
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM, as Kubernetes sends it, then waits for the process to exit; returns its exit code. */
    public int stop() {
        return stop(Duration.ofSeconds(40));
    }

    /** As {@link #stop()}, waiting at most this long. */
    public int stop(Duration timeout) {
        process.destroy();
        return awaitExit(timeout);
    }

    /** SIGKILL: the process gets no chance to finish anything. */
    public void kill() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(10));
    }

    /** SIGSTOP: the process stops where it is and keeps its connections open, as in a long pause of its VM. */
    public void freeze() {
        signal("STOP");
    }

    /** SIGCONT: a frozen process carries on where it stopped. */
    public void thaw() {
        signal("CONT");
    }

    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }

    private int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(name + " did not exit within " + timeout);
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void awaitReady() {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited during startup; see " + LOGS.resolve(name + ".log"));
            }
            try {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(managementUri("/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    notReady.add(response.body());
                }
                return response.statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
    }
}
