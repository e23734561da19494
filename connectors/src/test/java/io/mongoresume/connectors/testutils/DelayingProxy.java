package io.mongoresume.connectors.testutils;

import com.mongodb.ConnectionString;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A loopback TCP proxy in front of a server that impairs the link: it holds every reply back for a
 * configurable delay (a slow network, an overloaded server), or {@link #freeze() freezes}: nothing
 * is forwarded in either direction and no new connection is taken on, while every connection stays
 * open, as when the server process is stopped with {@code kill -STOP} (the kernel still completes
 * TCP handshakes into the listen backlog and buffers what clients send). {@link #thaw()} forwards
 * everything held back. Both can change while connections are open.
 */
public final class DelayingProxy implements AutoCloseable {

    /** scheme and credentials, path, options of a {@code mongodb://} URI. */
    private static final Pattern URI_PARTS =
            Pattern.compile("^(mongodb://(?:[^@/]*@)?)[^/?]*(/[^?]*)?(\\?.*)?$");

    private final ServerSocket listener;
    private final String targetHost;
    private final int targetPort;
    private String proxiedUri;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Object freezeLock = new Object();
    private volatile long replyDelayMillis;
    private volatile boolean frozen;
    private volatile boolean closed;

    public DelayingProxy(int targetPort) throws IOException {
        this(InetAddress.getLoopbackAddress().getHostAddress(), targetPort);
    }

    public DelayingProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "delaying-proxy-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * A proxy in front of the single server of {@code uri} (a test server, or a real deployment's
     * member named by {@code -Dmongo.*.uri}); skips the test for a URI a proxy cannot stand in for
     * (several hosts, {@code mongodb+srv}).
     */
    public static DelayingProxy inFrontOf(String uri) throws IOException {
        ConnectionString parsed = new ConnectionString(uri);
        assumeTrue(
                !uri.startsWith("mongodb+srv:") && parsed.getHosts().size() == 1,
                "a proxy stands in for a single server, not for " + parsed.getHosts());
        String host = parsed.getHosts().get(0);
        int colon = host.lastIndexOf(':');
        DelayingProxy proxy =
                colon < 0 || host.endsWith("]")
                        ? new DelayingProxy(host, 27017)
                        : new DelayingProxy(
                                host.substring(0, colon),
                                Integer.parseInt(host.substring(colon + 1)));
        // Same credentials, path and options; the proxy as the one host.
        Matcher parts = URI_PARTS.matcher(uri);
        checkArgument(parts.matches(), "not a mongodb:// URI: %s", uri);
        String path = parts.group(2) == null || parts.group(2).isEmpty() ? "/" : parts.group(2);
        String options = parts.group(3) == null ? "?" : parts.group(3);
        if (!options.contains("directConnection=")) {
            options += (options.equals("?") ? "" : "&") + "directConnection=true";
        }
        proxy.proxiedUri = parts.group(1) + "127.0.0.1:" + proxy.port() + path + options;
        return proxy;
    }

    public int port() {
        return listener.getLocalPort();
    }

    /**
     * A connection string to the server through this proxy, with direct connection to it: for
     * {@link #inFrontOf}, the original one (credentials, options) with the proxy as its host.
     */
    public String uri() {
        return proxiedUri != null
                ? proxiedUri
                : "mongodb://127.0.0.1:" + port() + "/?directConnection=true";
    }

    public void setReplyDelayMillis(long millis) {
        this.replyDelayMillis = millis;
    }

    /**
     * Stops forwarding in both directions and accepting connections; open connections stay open.
     */
    public void freeze() {
        frozen = true;
    }

    /** Forwards what was held back and carries on as before {@link #freeze()}. */
    public void thaw() {
        synchronized (freezeLock) {
            frozen = false;
            freezeLock.notifyAll();
        }
    }

    private void awaitThaw() throws InterruptedException {
        synchronized (freezeLock) {
            while (frozen && !closed) {
                freezeLock.wait(100);
            }
        }
    }

    private void accept() {
        while (!closed) {
            try {
                awaitThaw();
                Socket client = listener.accept();
                // A connection that was waiting in the backlog while frozen is only served after a
                // thaw.
                awaitThaw();
                Socket server = new Socket(targetHost, targetPort);
                sockets.add(client);
                sockets.add(server);
                pump(client, server, false);
                pump(server, client, true);
            } catch (IOException | InterruptedException e) {
                return;
            }
        }
    }

    /**
     * Copies {@code from} to {@code to}; when either side ends, closes both (after a thaw, if
     * frozen).
     */
    private void pump(Socket from, Socket to, boolean delayed) {
        Thread thread =
                new Thread(
                        () -> {
                            byte[] buffer = new byte[64 * 1024];
                            try (Socket in = from;
                                    Socket out = to) {
                                int n;
                                InputStream input = in.getInputStream();
                                OutputStream output = out.getOutputStream();
                                while ((n = input.read(buffer)) >= 0) {
                                    awaitThaw();
                                    if (delayed && replyDelayMillis > 0) {
                                        Thread.sleep(replyDelayMillis);
                                    }
                                    // Frozen during the delay: what was read waits for the thaw.
                                    awaitThaw();
                                    output.write(buffer, 0, n);
                                    output.flush();
                                }
                                awaitThaw();
                            } catch (IOException | InterruptedException e) {
                                // connection closed
                            }
                        },
                        "delaying-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        thaw();
        listener.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
