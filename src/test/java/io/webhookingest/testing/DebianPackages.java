package io.webhookingest.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Tools the tests run that a fresh Debian machine may lack: when the tools are missing and the tests run as root,
 * the Debian packages that hold them are installed first, so that the test suite runs on a fresh machine; otherwise
 * the failure says what to install.
 */
public final class DebianPackages {

    /** What a command printed on its standard output, and how it exited. */
    public record Result(int exitCode, String output) {
    }

    private DebianPackages() {
    }

    /** Makes sure every probe command works, installing the packages if one does not. */
    public static synchronized void ensure(List<List<String>> probes, String... packages) {
        if (probes.stream().allMatch(DebianPackages::works)) {
            return;
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        List<String> install = new ArrayList<>(List.of("apt-get", "install", "-y", "-q"));
        install.addAll(List.of(packages));
        if (root && works(List.of("apt-get", "--version")) && works(install)
                && probes.stream().allMatch(DebianPackages::works)) {
            return;
        }
        throw new IllegalStateException("These tests need: apt-get install " + String.join(" ", packages));
    }

    public static boolean works(List<String> command) {
        try {
            return run(command).exitCode() == 0;
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    public static Result run(List<String> command) {
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
