package io.webhookingest.verify;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import io.webhookingest.webhook.WebhookRequest;

/**
 * Eclipse xpanse (terra-boot, tofu-maker callbacks):
 * {@code x-signature: algorithm=HmacSHA256;headers=x-nonce-signature x-timestamp-signature;signature=<hex>}. The
 * signed text is the values of the listed headers in order, each followed by a newline, then the URL the sender
 * used, a newline, and the raw body. The key is the secret string's bytes.
 * <p>
 * xpanse itself checks neither time nor nonce; this verifier does both when the window is on: the millisecond
 * timestamp in {@code x-timestamp-signature} must be signed and inside the window, and a signed
 * {@code x-nonce-signature} is handed to the store as a replay guard. The algorithm the request names must be one
 * the source accepts (see {@link MacAlgorithms}), so that a request cannot downgrade it.
 */
public final class XpanseSignatureVerifier implements SignatureVerifier {

    public static final String SIGNATURE_HEADER = "x-signature";
    public static final String NONCE_HEADER = "x-nonce-signature";
    public static final String TIMESTAMP_HEADER = "x-timestamp-signature";
    static final int MAX_NONCE_LENGTH = 256;
    static final int MAX_SIGNED_HEADERS = 32;

    private static final byte[] NEWLINE = {'\n'};

    private final Map<String, HmacKeys> keysByAlgorithm = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private final List<String> algorithms;
    private final TimestampWindow window;
    private final Optional<String> publicBaseUrl;

    /** @param algorithms the {@code Mac} algorithms a request may name */
    public XpanseSignatureVerifier(List<String> secrets, List<String> algorithms, TimestampWindow window,
            Optional<String> publicBaseUrl) {
        this.algorithms = List.copyOf(algorithms);
        algorithms.forEach(algorithm -> keysByAlgorithm.put(algorithm, HmacKeys.ofSecrets(algorithm, secrets)));
        this.window = window;
        this.publicBaseUrl = publicBaseUrl;
    }

    @Override
    public String expects() {
        return "x-signature must be algorithm=<one of " + algorithms + ">;headers=<signed headers>;signature=<hex>,"
                + " the MAC of the listed headers' values, the URL and the body"
                + (window.enabled() ? ", with x-timestamp-signature (ms) signed and inside the window" : "");
    }

    @Override
    public Verdict verify(WebhookRequest request) {
        Optional<String> header = request.header(SIGNATURE_HEADER);
        if (header.isEmpty()) {
            return PrefixedHexSignature.missing(SIGNATURE_HEADER);
        }
        Optional<HeaderParameters> parameters = HeaderParameters.parse(header.get(), ';');
        Optional<String> algorithm = parameters.flatMap(p -> p.single("algorithm"));
        Optional<String> signedNames = parameters.flatMap(p -> p.single("headers"));
        Optional<String> hex = parameters.flatMap(p -> p.single("signature"));
        if (algorithm.isEmpty() || signedNames.isEmpty() || hex.isEmpty()) {
            return Verdict.rejected(Rejection.MALFORMED_SIGNATURE,
                    SIGNATURE_HEADER + " must carry algorithm=, headers= and signature= once each, separated by ';'");
        }
        HmacKeys keys = keysByAlgorithm.get(algorithm.get());
        if (keys == null) {
            return Verdict.rejected(Rejection.UNSUPPORTED_SCHEME, "Algorithm " + Verdict.quote(algorithm.get())
                    + " is not accepted by this source; use one of " + algorithms);
        }
        Optional<byte[]> signature = Encodings.hex(hex.get());
        if (signature.isEmpty()) {
            return Verdict.rejected(Rejection.MALFORMED_SIGNATURE, SIGNATURE_HEADER + " signature= is not hex");
        }
        List<String> names = Arrays.stream(HeaderParameters.words(signedNames.get())).filter(n -> !n.isEmpty())
                .toList();
        if (names.size() > MAX_SIGNED_HEADERS) {
            return Verdict.rejected(Rejection.MALFORMED_SIGNATURE, SIGNATURE_HEADER + " lists too many headers");
        }
        // The signed headers and the URL are copied; the body, which may be large, is fed to the MAC as it is.
        ByteArrayOutputStream signed = new ByteArrayOutputStream(256);
        for (String name : names) {
            Optional<String> value = request.header(name);
            if (value.isEmpty()) {
                return Verdict.rejected(Rejection.MALFORMED_SIGNATURE,
                        SIGNATURE_HEADER + " names header " + Verdict.quote(name) + ", which the request lacks");
            }
            signed.writeBytes(value.get().getBytes(StandardCharsets.UTF_8));
            signed.writeBytes(NEWLINE);
        }
        if (window.enabled()) {
            if (!containsIgnoringCase(names, TIMESTAMP_HEADER)) {
                return Verdict.rejected(Rejection.MISSING_TIMESTAMP,
                        TIMESTAMP_HEADER + " must be one of the signed headers");
            }
            String value = request.header(TIMESTAMP_HEADER).orElseThrow().trim();
            Optional<Verdict> outOfWindow = window.check(TIMESTAMP_HEADER, value, TimeUnit.MILLISECONDS);
            if (outOfWindow.isPresent()) {
                return outOfWindow.get();
            }
        }
        signed.writeBytes(SignedUrl.of(request, publicBaseUrl).getBytes(StandardCharsets.UTF_8));
        signed.writeBytes(NEWLINE);
        int secret = keys.matching(signature.get(), signed.toByteArray(), request.body());
        if (secret == HmacKeys.NO_MATCH) {
            return Verdict.rejected(Rejection.SIGNATURE_MISMATCH,
                    "The signature does not match the signed headers, the URL and the body");
        }
        if (!containsIgnoringCase(names, NONCE_HEADER)) {
            return Verdict.valid(secret);
        }
        String nonce = request.header(NONCE_HEADER).orElseThrow().trim();
        if (nonce.isEmpty() || nonce.length() > MAX_NONCE_LENGTH) {
            return Verdict.rejected(Rejection.MALFORMED_SIGNATURE, NONCE_HEADER + " is empty or too long");
        }
        return Verdict.valid(secret, new ReplayGuard(nonce));
    }

    private static boolean containsIgnoringCase(List<String> names, String name) {
        return names.stream().anyMatch(name::equalsIgnoreCase);
    }
}
