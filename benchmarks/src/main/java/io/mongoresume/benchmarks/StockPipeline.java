package io.mongoresume.benchmarks;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.mongodb.sink.MongoSink;
import org.apache.flink.connector.mongodb.sink.writer.context.MongoSinkContext;
import org.apache.flink.connector.mongodb.sink.writer.serializer.MongoSerializationSchema;
import org.apache.flink.connector.mongodb.source.MongoSource;
import org.apache.flink.connector.mongodb.source.enumerator.splitter.PartitionStrategy;
import org.apache.flink.connector.mongodb.source.reader.deserializer.MongoDeserializationSchema;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.WriteModel;
import io.mongoresume.connectors.common.read.DocumentSize;
import io.mongoresume.connectors.common.read.ReplyBudget;
import org.bson.BsonDocument;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;

import java.nio.ByteBuffer;

/**
 * The stock alternative: flink-connector-mongodb {@code MongoSource -> MongoSink}, the way a data
 * team would write a bit-exact copy with it: raw BSON bytes between the two (no JSON round trip),
 * an idempotent {@code replaceOne(upsert)} per document (the same write as ours), same parallelism,
 * rebalanced (no keyBy).
 */
final class StockPipeline {

    static final String SOURCE_NAME = "Stock MongoSource";

    /**
     * Bytes of documents per {@code _id} range: the stock reader sets no cursor batch size, and the
     * embedded server answers with the whole range in one reply, which the driver refuses above 48
     * MB. Half of that leaves room for documents above the average (about 24,000 of the ~1 KB
     * benchmark documents).
     */
    static final long RANGE_BYTES = 24L << 20;

    private StockPipeline() {}

    static JobGraph graph(
            String sourceUri,
            String targetUri,
            String targetDb,
            int parallelism,
            PartitionStrategy strategy,
            long docs,
            String savepoint) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(parallelism);
        // Only SINGLE works on mongo-java-server, and the server answers such a find with ONE reply
        // holding the
        // whole split (the reader sets no cursor batch size): above ~48 MB the driver refuses the
        // reply. So the
        // collection is cut by _id filter into ranges of RANGE_BYTES of its average document, one
        // SINGLE source
        // per range.
        long rangeDocs =
                ReplyBudget.documentsWithin(
                        RANGE_BYTES, averageDocumentBytes(sourceUri), Integer.MAX_VALUE);
        int ranges = (int) Math.max(parallelism, (docs + rangeDocs - 1) / rangeDocs);
        long step = (docs + ranges - 1) / ranges;
        DataStream<byte[]> all = null;
        for (int r = 0; r < ranges; r++) {
            MongoSource<byte[]> source =
                    MongoSource.<byte[]>builder()
                            .setUri(sourceUri)
                            .setDatabase(DataSet.DATABASE)
                            .setCollection(DataSet.COLLECTION)
                            .setFetchSize(1000)
                            .setPartitionStrategy(strategy)
                            .setFilter(
                                    Filters.and(
                                            Filters.gte("_id", r * step),
                                            Filters.lt("_id", (r + 1) * step)))
                            .setDeserializationSchema(new RawBytes())
                            .build();
            DataStream<byte[]> part =
                    env.fromSource(source, WatermarkStrategy.noWatermarks(), SOURCE_NAME + " " + r)
                            .uid("stock-source-" + r)
                            .setParallelism(1);
            all = all == null ? part : all.union(part);
        }
        MongoSink<byte[]> sink =
                MongoSink.<byte[]>builder()
                        .setUri(targetUri)
                        .setDatabase(targetDb)
                        .setCollection(DataSet.COLLECTION)
                        .setBatchSize(1000)
                        .setBatchIntervalMs(1000)
                        .setMaxRetries(3)
                        .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                        .setSerializationSchema(new Upsert())
                        .build();
        // One split per source: spread the writes over all writers.
        all.rebalance().sinkTo(sink).uid("stock-sink").name("Stock MongoSink");
        JobGraph graph = env.getStreamGraph().getJobGraph();
        if (savepoint != null) {
            graph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(savepoint, false));
        }
        return graph;
    }

    private static long averageDocumentBytes(String sourceUri) {
        try (MongoClient client = MongoClients.create(sourceUri)) {
            return DocumentSize.measure(client.getDatabase(DataSet.DATABASE), DataSet.COLLECTION)
                    .averageBytes();
        }
    }

    /** The whole document as raw BSON bytes. */
    static final class RawBytes implements MongoDeserializationSchema<byte[]> {
        private static final long serialVersionUID = 1L;

        @Override
        public byte[] deserialize(BsonDocument document) {
            RawBsonDocument raw =
                    document instanceof RawBsonDocument
                            ? (RawBsonDocument) document
                            : new RawBsonDocument(document, new BsonDocumentCodec());
            ByteBuffer buffer = raw.getByteBuffer().asNIO();
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        }

        @Override
        public TypeInformation<byte[]> getProducedType() {
            return PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO;
        }
    }

    /**
     * {@code replaceOne({_id}, doc, upsert)}: idempotent, as a copy that may be replayed must be.
     */
    static final class Upsert implements MongoSerializationSchema<byte[]> {
        private static final long serialVersionUID = 1L;
        private static final ReplaceOptions UPSERT = new ReplaceOptions().upsert(true);

        @Override
        public WriteModel<BsonDocument> serialize(byte[] bytes, MongoSinkContext context) {
            RawBsonDocument document = new RawBsonDocument(bytes);
            return new ReplaceOneModel<>(Filters.eq("_id", document.get("_id")), document, UPSERT);
        }
    }
}
