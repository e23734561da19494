package io.mongoresume.job.demo;

/**
 * The kinds of writes {@link WorkloadGenerator} performs, each counted in {@link WorkloadStats}.
 */
public enum WorkloadOperation {
    /** insertOne of a new document with a fresh {@code _id}. */
    INSERT,
    /** updateOne with {@code $set} of {@code note} and {@code updatedAt}. */
    SET,
    /** updateOne with {@code $inc} of {@code version}. */
    INC,
    /** updateOne with {@code $unset} of {@code note}. */
    UNSET,
    /** updateOne with {@code $push} of a tag onto {@code tags}. */
    PUSH,
    /** updateOne with {@code $pull} of a tag from {@code tags}. */
    PULL,
    /** replaceOne of the whole document, same {@code _id}. */
    REPLACE,
    /** deleteOne by {@code _id}. */
    DELETE,
    /** deleteOne then insertOne of a new document with the SAME {@code _id}. */
    DELETE_REINSERT
}
