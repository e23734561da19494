package io.mongoresume.job.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar manifest, or "dev" when run from classes. */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = MongoResumeCli.class.getPackage().getImplementationVersion();
        return new String[] {
            "mongo-resume " + (version == null ? "dev" : version) + ", Flink 1.20"
        };
    }
}
