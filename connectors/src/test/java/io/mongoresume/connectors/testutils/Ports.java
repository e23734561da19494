package io.mongoresume.connectors.testutils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/**
 * Loopback ports: for a server a test starts on a port of its own, or an address nothing answers.
 */
public final class Ports {

    private Ports() {}

    /** A port nothing listens on right now: bound once to find it, then closed. */
    public static int free() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
