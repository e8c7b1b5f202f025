package io.webhookingest.verify;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.webhookingest.webhook.WebhookRequest;

/**
 * What a configured scheme signs, written as literal text with placeholders: {@code {body}} (the raw body),
 * {@code {url}} (the URL the sender used) and {@code {header:<Name>}} (a header's value). For example
 * {@code v0:{header:X-Request-Timestamp}:{body}}.
 */
public final class ContentTemplate {

    /** The most common scheme: the raw body alone. */
    public static final ContentTemplate BODY = parse("{body}");

    private sealed interface Part {
    }

    private record Literal(byte[] bytes) implements Part {
    }

    private record Body() implements Part {
    }

    private record Url() implements Part {
    }

    private record Header(String name) implements Part {
    }

    private final List<Part> parts;
    private final String text;

    private ContentTemplate(List<Part> parts, String text) {
        this.parts = parts;
        this.text = text;
    }

    /** Parses a template; throws {@link IllegalArgumentException} naming the first unknown placeholder. */
    public static ContentTemplate parse(String template) {
        List<Part> parts = new ArrayList<>();
        int position = 0;
        while (position < template.length()) {
            int open = template.indexOf('{', position);
            if (open < 0) {
                parts.add(literal(template.substring(position)));
                break;
            }
            if (open > position) {
                parts.add(literal(template.substring(position, open)));
            }
            int close = template.indexOf('}', open);
            if (close < 0) {
                throw new IllegalArgumentException("unclosed '{' at position " + open);
            }
            String placeholder = template.substring(open + 1, close);
            if (placeholder.equals("body")) {
                parts.add(new Body());
            } else if (placeholder.equals("url")) {
                parts.add(new Url());
            } else if (placeholder.startsWith("header:") && placeholder.length() > "header:".length()) {
                parts.add(new Header(placeholder.substring("header:".length())));
            } else {
                throw new IllegalArgumentException("unknown placeholder {" + placeholder
                        + "}; use {body}, {url} or {header:<Name>}");
            }
            position = close + 1;
        }
        return new ContentTemplate(List.copyOf(parts), template);
    }

    private static Literal literal(String text) {
        return new Literal(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The first header the template needs that the request lacks. */
    public Optional<String> missingHeader(WebhookRequest request) {
        return parts.stream().filter(Header.class::isInstance).map(part -> ((Header) part).name())
                .filter(name -> request.header(name).isEmpty()).findFirst();
    }

    /** True when the template signs this header, so that its value cannot be changed without the secret. */
    public boolean signsHeader(String name) {
        return parts.stream().anyMatch(part -> part instanceof Header header && header.name().equalsIgnoreCase(name));
    }

    /**
     * What is signed, in parts to be fed to the MAC in order: the body is one of them as it is, never copied. Every
     * header the template names must be present (see {@link #missingHeader}).
     */
    public byte[][] render(WebhookRequest request, String url) {
        byte[][] rendered = new byte[parts.size()][];
        for (int i = 0; i < parts.size(); i++) {
            Part part = parts.get(i);
            if (part instanceof Literal literal) {
                rendered[i] = literal.bytes();
            } else if (part instanceof Body) {
                rendered[i] = request.body();
            } else if (part instanceof Url) {
                rendered[i] = url.getBytes(StandardCharsets.UTF_8);
            } else {
                rendered[i] = request.header(((Header) part).name()).orElseThrow().getBytes(StandardCharsets.UTF_8);
            }
        }
        return rendered;
    }

    @Override
    public String toString() {
        return text;
    }
}
