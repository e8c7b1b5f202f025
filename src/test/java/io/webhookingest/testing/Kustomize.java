package io.webhookingest.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * Renders {@code k8s/} with {@code kubectl kustomize}. When kubectl is missing and the tests run as root on Debian,
 * it installs Debian's kubernetes-client first, so that the test suite runs on a fresh machine; otherwise it says
 * what to install.
 */
public final class Kustomize {

    private static final YAMLMapper YAML = new YAMLMapper();

    private Kustomize() {
    }

    /** The rendered objects of a kustomization directory. */
    public static List<JsonNode> render(Path kustomization) {
        ensureKubectl();
        Result rendered = run(List.of("kubectl", "kustomize", kustomization.toString()));
        if (rendered.exitCode() != 0) {
            throw new IllegalStateException("kubectl kustomize " + kustomization + " failed: " + rendered.output());
        }
        try {
            return YAML.readValues(YAML.getFactory().createParser(rendered.output()), JsonNode.class).readAll()
                    .stream().filter(node -> node != null && !node.isNull()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The example Secrets, which no kustomization includes. */
    public static List<JsonNode> examples() {
        try {
            return YAML.readValues(YAML.getFactory().createParser(Path.of("k8s", "examples",
                    "webhook-ingest-secrets.yaml").toFile()), JsonNode.class).readAll();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static synchronized void ensureKubectl() {
        if (works(List.of("kubectl", "version", "--client"))) {
            return;
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root && works(List.of("apt-get", "--version"))
                && works(List.of("apt-get", "install", "-y", "-q", "kubernetes-client"))
                && works(List.of("kubectl", "version", "--client"))) {
            return;
        }
        throw new IllegalStateException("Rendering k8s/ needs kubectl: apt-get install kubernetes-client");
    }

    private static boolean works(List<String> command) {
        try {
            return run(command).exitCode() == 0;
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish");
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
