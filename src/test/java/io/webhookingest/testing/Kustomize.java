package io.webhookingest.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

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
        DebianPackages.Result rendered = DebianPackages.run(List.of("kubectl", "kustomize", kustomization.toString()));
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

    private static void ensureKubectl() {
        DebianPackages.ensure(List.of(List.of("kubectl", "version", "--client")), "kubernetes-client");
    }
}
