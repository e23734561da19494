package io.mongoresume.job.verify;

import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

class IdJsonTest {

    @Test
    void idsPrintAsRelaxedExtendedJson() {
        assertThat(CollectionVerifier.idJson(new BsonInt32(5))).isEqualTo("5");
        assertThat(CollectionVerifier.idJson(new BsonString("a b"))).isEqualTo("\"a b\"");
        assertThat(
                        CollectionVerifier.idJson(
                                BsonDocument.parse("{x: {$oid: '5f0000000000000000000000'}}")
                                        .get("x")))
                .isEqualTo("{\"$oid\": \"5f0000000000000000000000\"}");
    }

    @Test
    void digestIsOrderIndependentAndCountsDocuments() {
        var sha = RangeDigest.sha256();
        long a = RangeDigest.hash(sha, ByteBuffer.wrap(new byte[] {1, 2, 3}));
        long b = RangeDigest.hash(sha, ByteBuffer.wrap(new byte[] {4, 5}));
        RangeDigest ab = new RangeDigest();
        ab.add(a);
        ab.add(b);
        RangeDigest ba = new RangeDigest();
        ba.add(b);
        ba.add(a);
        assertThat(ab.matches(ba)).isTrue();
        RangeDigest onlyA = new RangeDigest();
        onlyA.add(a);
        assertThat(ab.matches(onlyA)).isFalse();
    }
}
