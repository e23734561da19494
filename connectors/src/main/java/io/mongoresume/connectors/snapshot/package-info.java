/**
 * The snapshot source: a bounded FLIP-27 source ({@link
 * io.mongoresume.connectors.snapshot.MongoSnapshotSource}) that copies every document of the
 * selected collections once, as raw BSON, and resumes exactly from checkpoints and savepoints.
 *
 * <ul>
 *   <li>{@code enumerator}: resolves collections, runs the {@code CollectionPreparer} and the
 *       partitioner of each collection on the context's worker thread, asks once per collection for
 *       its read plan (explain verdict, average document size) and puts it into every split,
 *       assigns splits on request, and keeps per-collection progress (phase, COUNT scan position,
 *       split counts) in its checkpoint.
 *   <li>{@code enumerator.partition}: COUNT (one ordered {@code _id}-only scan, a boundary every
 *       N-th id per type bracket) and MIN_MAX (interpolation between each bracket's smallest and
 *       largest id).
 *   <li>{@code split}: the immutable split (bracket, bounds, {@code lastId}, {@code fetchedUpToId},
 *       read plan), its mutable reader state and the versioned serializers.
 *   <li>{@code event}: the source events readers and enumerator exchange (splits finished, splits
 *       held after a restore, collections done). They travel over RPC only, never into a
 *       checkpoint.
 *   <li>{@code reader}: one cursor per query, batches of about 8 MiB of the average document (at
 *       most {@code fetchSize}), one batch per fetch, smaller batches after a reply the driver
 *       refused as too large; the emitter advances {@code lastId} with every emitted record.
 *   <li>{@code query}: MongoDB's BSON order on the client, {@code $type} filters that cope with
 *       servers not knowing every alias, and the collection's read plan.
 * </ul>
 *
 * <p>Checked against the embedded test server (mongo-java-server 1.47.0): {@code $type} with an
 * array of aliases works and each bracket sorts correctly (embedded documents follow the server's
 * own, self-consistent order); the aliases {@code symbol}, {@code undefined}, {@code javascript},
 * {@code javascriptWithScope} and {@code dbPointer} are rejected with BadValue (detected and left
 * out); a range filter on binaries only matches the subtype of its bound (detected by comparing two
 * counts; such a bracket becomes one client-filtered split); strings sort by Java (UTF-16) order
 * rather than MongoDB's UTF-8 byte order (interpolated string boundaries therefore use only
 * characters below U+E000, where both orders agree); a cursor batch goes into one reply however
 * large (a real mongod stops a batch at 16 MiB), and the driver refuses replies above 48 MB.
 */
package io.mongoresume.connectors.snapshot;
