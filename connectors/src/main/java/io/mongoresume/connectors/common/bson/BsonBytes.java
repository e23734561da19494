package io.mongoresume.connectors.common.bson;

import org.bson.BsonBinaryReader;
import org.bson.BsonBinaryWriter;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.codecs.DecoderContext;
import org.bson.codecs.EncoderContext;
import org.bson.io.BasicOutputBuffer;

import java.nio.ByteBuffer;

/**
 * Raw BSON bytes in and out. Documents travel through Flink as the bytes MongoDB gave us, so a
 * value never changes type on the way (no JSON round trip, no Int64 turning into Int32).
 */
public final class BsonBytes {

    private static final String VALUE_FIELD = "v";

    private BsonBytes() {}

    /** The document's BSON bytes; a {@link RawBsonDocument} is returned without re-encoding. */
    public static byte[] toBytes(BsonDocument document) {
        if (document instanceof RawBsonDocument) {
            RawBsonDocument raw = (RawBsonDocument) document;
            ByteBuffer buffer = raw.getByteBuffer().asNIO();
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        }
        BasicOutputBuffer out = new BasicOutputBuffer();
        try (BsonBinaryWriter writer = new BsonBinaryWriter(out)) {
            new BsonDocumentCodec().encode(writer, document, EncoderContext.builder().build());
        }
        return out.toByteArray();
    }

    /** A read-only view over the bytes; decoding is lazy. */
    public static RawBsonDocument toDocument(byte[] bytes) {
        return new RawBsonDocument(bytes);
    }

    /** A mutable, fully decoded copy. */
    public static BsonDocument toMutableDocument(byte[] bytes) {
        try (BsonBinaryReader reader = new BsonBinaryReader(ByteBuffer.wrap(bytes))) {
            return new BsonDocumentCodec().decode(reader, DecoderContext.builder().build());
        }
    }

    /** A single BSON value of any type, as the bytes of the document {@code {v: value}}. */
    public static byte[] valueToBytes(BsonValue value) {
        return toBytes(new BsonDocument(VALUE_FIELD, value));
    }

    public static BsonValue valueFromBytes(byte[] bytes) {
        return toMutableDocument(bytes).get(VALUE_FIELD);
    }
}
