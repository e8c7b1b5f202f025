package io.webhookingest.ingest;

import java.util.Arrays;

import io.vertx.core.buffer.Buffer;

/**
 * A request body as it arrives, in one array that is handed on without a copy when the sender declared its length:
 * the array is then allocated at that length on the first chunk. Without a declared length it grows by doubling,
 * within the source's limit, and is trimmed once at the end.
 */
final class BodyBuffer {

    /** The first allocation of a body whose length is not declared. */
    static final int INITIAL_CAPACITY = 16 * 1024;

    private final long declared;
    private final long limit;
    private byte[] bytes = new byte[0];
    private int length;

    /**
     * @param declared the declared length, or -1
     * @param limit    the most bytes the body may hold
     */
    BodyBuffer(long declared, long limit) {
        this.declared = declared;
        this.limit = limit;
    }

    int length() {
        return length;
    }

    /** The capacity needed to append {@code more} bytes; the budget is grown to it before {@link #append}. */
    long capacityFor(int more) {
        long needed = (long) length + more;
        if (needed <= bytes.length) {
            return bytes.length;
        }
        if (declared >= needed) {
            return declared;
        }
        return Math.min(limit, Math.max(needed, Math.max(INITIAL_CAPACITY, 2L * bytes.length)));
    }

    void append(Buffer chunk) {
        int size = chunk.length();
        long capacity = capacityFor(size);
        if (capacity > bytes.length) {
            bytes = Arrays.copyOf(bytes, (int) capacity);
        }
        chunk.getBytes(0, size, bytes, length);
        length += size;
    }

    byte[] toBytes() {
        return length == bytes.length ? bytes : Arrays.copyOf(bytes, length);
    }
}
