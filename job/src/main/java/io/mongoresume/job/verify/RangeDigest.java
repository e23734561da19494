package io.mongoresume.job.verify;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Order-independent digest of the documents of one {@code _id} range: the count and the sum of a
 * 64-bit hash (the first 8 bytes of SHA-256) of each document's exact BSON bytes. Equal digests
 * mean, with overwhelming probability, the same set of bit-identical documents; a different field
 * order or numeric type changes the bytes and therefore the digest.
 */
final class RangeDigest {

    private long count;
    private long sum;

    void add(long documentHash) {
        count++;
        sum += documentHash;
    }

    long count() {
        return count;
    }

    boolean matches(RangeDigest other) {
        return count == other.count && sum == other.sum;
    }

    /**
     * 64-bit hash of a document's bytes (its buffer's remaining bytes; the buffer is not consumed).
     */
    static long hash(MessageDigest sha256, ByteBuffer bytes) {
        sha256.reset();
        sha256.update(bytes.duplicate());
        byte[] d = sha256.digest();
        long h = 0;
        for (int i = 0; i < 8; i++) {
            h = (h << 8) | (d[i] & 0xff);
        }
        return h;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
