package io.webhookingest.observe;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A delivery that was refused, as the rejection log keeps it: never its body, only what tells an operator why.
 *
 * @param id            its place in the log, newest highest; 0 until it is written
 * @param source        the source name as the sender wrote it, known or not
 * @param reason        the problem document's reason, such as {@code signature_mismatch}
 * @param detail        the problem document's detail, as the sender was told
 * @param hint          what the source expected, in plain words; never a secret or an expected MAC
 * @param remoteAddress the sender's address as this instance saw it
 * @param headerNames   the names of the headers it sent, in order
 * @param bodySize      its body's size, when the body was read to its end
 * @param bodySha256    the SHA-256 of its body in hex, when the body was read to its end
 */
public record RefusedDelivery(long id, Instant receivedAt, String source, int status, String reason, String detail,
        Optional<String> hint, Optional<String> remoteAddress, List<String> headerNames, OptionalLong bodySize,
        Optional<String> bodySha256) {

    public RefusedDelivery {
        headerNames = List.copyOf(headerNames);
    }
}
