package io.webhookingest.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

/**
 * The console's scripts and styles, read once from the classpath and served by the application itself, so that the
 * console works in a closed network: uPlot from its webjar, and the console's own files. They are kept out of
 * {@code META-INF/resources}, which the public port would serve.
 */
@ApplicationScoped
public class ConsoleAssets {

    static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/dist/";

    private record Asset(String contentType, Buffer bytes) {
    }

    private final Map<String, Asset> assets = Map.of(
            "uPlot.iife.min.js", load(UPLOT + "uPlot.iife.min.js", "text/javascript; charset=utf-8"),
            "uPlot.min.css", load(UPLOT + "uPlot.min.css", "text/css; charset=utf-8"),
            "console.js", load("console/console.js", "text/javascript; charset=utf-8"),
            "console.css", load("console/console.css", "text/css; charset=utf-8"));

    void serve(RoutingContext context) {
        Asset asset = assets.get(context.pathParam("file"));
        if (asset == null) {
            context.response().setStatusCode(404).end();
            return;
        }
        context.response().putHeader("Content-Type", asset.contentType())
                .putHeader("Cache-Control", "public, max-age=3600").end(asset.bytes());
    }

    private static Asset load(String path, String contentType) {
        try (InputStream in = ConsoleAssets.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("The console asset " + path + " is missing from the build");
            }
            return new Asset(contentType, Buffer.buffer(in.readAllBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
