package io.webhookingest.verify;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.webhookingest.webhook.WebhookRequest;

/**
 * A provider defined by configuration: one header carrying {@code [prefix]<encoded MAC>} over a content template,
 * with an optional timestamp header checked against the window.
 */
public final class HmacSignatureVerifier implements SignatureVerifier {

    private final HmacScheme scheme;
    private final HmacKeys keys;
    private final TimestampWindow window;
    private final Optional<String> publicBaseUrl;

    /** Throws {@link IllegalArgumentException} when the algorithm is not an available {@code Mac}. */
    public HmacSignatureVerifier(HmacScheme scheme, List<String> secrets, TimestampWindow window,
            Optional<String> publicBaseUrl) {
        this.scheme = scheme;
        this.keys = HmacKeys.ofSecrets(scheme.algorithm(), secrets);
        this.window = window;
        this.publicBaseUrl = publicBaseUrl;
    }

    @Override
    public boolean signsHeader(String name) {
        return scheme.content().signsHeader(name);
    }

    @Override
    public String expects() {
        return scheme.header() + " must be " + scheme.prefix().orElse("") + "<" + scheme.encoding().name()
                .toLowerCase(Locale.ROOT) + ">, the " + scheme.algorithm() + " of " + scheme.content()
                + scheme.timestampHeader().map(header -> ", with " + header + " inside the window").orElse("");
    }

    @Override
    public Verdict verify(WebhookRequest request) {
        Optional<String> header = request.header(scheme.header()).map(String::trim);
        if (header.isEmpty() || header.get().isEmpty()) {
            return PrefixedHexSignature.missing(scheme.header());
        }
        String encoded = header.get();
        if (scheme.prefix().isPresent()) {
            if (!encoded.startsWith(scheme.prefix().get())) {
                return Verdict.rejected(Rejection.UNSUPPORTED_SCHEME,
                        scheme.header() + " must start with " + Verdict.quote(scheme.prefix().get()));
            }
            encoded = encoded.substring(scheme.prefix().get().length());
        }
        Optional<byte[]> signature = scheme.encoding().decode(encoded);
        if (signature.isEmpty()) {
            return Verdict.rejected(Rejection.MALFORMED_SIGNATURE,
                    scheme.header() + " is not " + scheme.encoding().name().toLowerCase());
        }
        if (scheme.timestampHeader().isPresent()) {
            String name = scheme.timestampHeader().get();
            Optional<Verdict> outOfWindow = window.check(name, request.header(name).map(String::trim).orElse(null),
                    scheme.timestampUnit());
            if (outOfWindow.isPresent()) {
                return outOfWindow.get();
            }
        }
        Optional<String> missing = scheme.content().missingHeader(request);
        if (missing.isPresent()) {
            return Verdict.rejected(Rejection.MISSING_SIGNATURE,
                    "The signed header " + Verdict.quote(missing.get()) + " is missing");
        }
        byte[][] signed = scheme.content().render(request, SignedUrl.of(request, publicBaseUrl));
        return Verdict.signedWith(keys.matching(signature.get(), signed), Rejection.SIGNATURE_MISMATCH, "The signature does not match the request");
    }
}
