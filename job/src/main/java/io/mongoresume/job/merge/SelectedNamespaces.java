package io.mongoresume.job.merge;

import io.mongoresume.connectors.common.selection.CollectionSelection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.io.Serializable;
import java.util.HashSet;
import java.util.Set;

/**
 * Which namespaces the merge still holds state for: those the job selects. A resume whose job file
 * left a collection out releases the state of its keys; each such namespace is said once per
 * subtask.
 */
final class SelectedNamespaces implements Serializable {

    private static final long serialVersionUID = 1L;

    private static final Logger LOG = LoggerFactory.getLogger(SelectedNamespaces.class);

    /** Null selects every namespace. */
    @Nullable private final CollectionSelection selection;

    @Nullable private transient Set<String> said;

    SelectedNamespaces(@Nullable CollectionSelection selection) {
        this.selection = selection;
    }

    /**
     * @param keysInState the keys this subtask holds, for the log line
     */
    boolean contains(String namespace, long keysInState) {
        if (selection == null) {
            return true;
        }
        int dot = namespace.indexOf('.');
        if (selection.matches(namespace.substring(0, dot), namespace.substring(dot + 1))) {
            return true;
        }
        if (said == null) {
            said = new HashSet<>();
        }
        if (said.add(namespace)) {
            LOG.info(
                    "{} is no longer selected: the merge releases the state of its keys ({} keys in"
                            + " state at this subtask before)",
                    namespace,
                    keysInState);
        }
        return false;
    }
}
