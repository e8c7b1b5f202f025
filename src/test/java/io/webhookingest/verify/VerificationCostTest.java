package io.webhookingest.verify;

import static io.webhookingest.testing.Requests.request;
import static io.webhookingest.testing.Signatures.hmacHex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.spec.AlgorithmParameterSpec;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import javax.crypto.Mac;
import javax.crypto.MacSpi;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import io.webhookingest.testing.Fixtures;

/**
 * A sender cannot multiply the work spent on its body: Hubject, whose documents name three signature headers,
 * computes one MAC over it per configured secret, however many of them a delivery carries.
 */
class VerificationCostTest {

    static final byte[] BODY = Fixtures.bytes("hubject", "root-cert-added.json");
    static final List<String> SECRETS = List.of("old-secret", "endpoint-secret");

    final AtomicInteger computed = new AtomicInteger();

    @Test
    void hubjectComputesOneMacPerSecretHoweverManyHeadersTheSenderAdds() {
        HubjectSignatureVerifier verifier = new HubjectSignatureVerifier(counting());
        String wrong = "sha256=" + hmacHex("HmacSHA256", "wrong", BODY);
        assertFalse(verifier.verify(request(BODY, "X-Hubject-Signature", wrong, "X-Operator-Signature", wrong,
                "payload-signature", wrong)).isValid());
        assertEquals(SECRETS.size(), computed.getAndSet(0), "one MAC per secret for three wrong headers");

        String right = hmacHex("HmacSHA256", "endpoint-secret", BODY);
        assertTrue(verifier.verify(request(BODY, "X-Hubject-Signature", wrong, "X-Operator-Signature", wrong,
                "payload-signature", right)).isValid());
        assertEquals(SECRETS.size(), computed.get(), "and as many for a valid one behind two wrong ones");
    }

    /** HMAC-SHA256 keys under the test's secrets, counting every MAC computed. */
    private HmacKeys counting() {
        List<Supplier<Mac>> macs = SECRETS.stream().<Supplier<Mac>>map(secret -> () -> countingMac(secret)).toList();
        return HmacKeys.ofMacs("HmacSHA256", macs);
    }

    private Mac countingMac(String secret) {
        try {
            SecretKeySpec key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
            Mac real = Mac.getInstance("HmacSHA256");
            real.init(key);
            Mac counting = new Mac(new CountingSpi(real), real.getProvider(), "HmacSHA256") {
            };
            counting.init(key);
            return counting;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private final class CountingSpi extends MacSpi {

        private final Mac delegate;

        CountingSpi(Mac delegate) {
            this.delegate = delegate;
        }

        @Override
        protected int engineGetMacLength() {
            return delegate.getMacLength();
        }

        @Override
        protected void engineInit(Key key, AlgorithmParameterSpec params) {
        }

        @Override
        protected void engineUpdate(byte input) {
            delegate.update(input);
        }

        @Override
        protected void engineUpdate(byte[] input, int offset, int len) {
            delegate.update(input, offset, len);
        }

        @Override
        protected byte[] engineDoFinal() {
            computed.incrementAndGet();
            return delegate.doFinal();
        }

        @Override
        protected void engineReset() {
            delegate.reset();
        }
    }
}
