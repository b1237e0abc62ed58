package io.sigil.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketImpl;
import java.net.SocketOption;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;

/**
 * A child-JVM entry point for {@link NoOutboundConnectionIT}: watches every connection the JDK is asked to open,
 * runs the {@code sigil} command line given as arguments in this process, and prints each attempt on stderr as
 * {@code OUTBOUND <destination>}. Attempts are refused, so that a leak shows here without reaching the network.
 *
 * <p>Two hooks, because no single one sees everything: a {@link Socket#setSocketImplFactory socket factory} sees
 * every {@code java.net.Socket} connect, including {@code HttpURLConnection}s opened with {@code Proxy.NO_PROXY}
 * (what DJL's telemetry does, which bypasses proxy selection); the default {@link ProxySelector} sees
 * {@code java.net.http.HttpClient} and other proxied requests. A CLI run with the offline model needs no connection
 * at all, so loopback attempts are refused and reported too (as {@code LOOPBACK}).
 *
 * <p>With {@code --call-home-control} it calls DJL's telemetry directly, without Sigil's opt-out, to show that the
 * watch really catches it.
 */
public final class OutboundConnectionWatch {
    private OutboundConnectionWatch() { }

    public static void main(String[] args) throws Exception {
        Socket.setSocketImplFactory(RefusingSocket::new);
        ProxySelector.setDefault(new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                report(uri.toString(), uri.getHost());
                return List.of(new Proxy(Proxy.Type.HTTP, new InetSocketAddress(InetAddress.getLoopbackAddress(), 1)));
            }

            @Override
            public void connectFailed(URI uri, SocketAddress sa, IOException ioe) { }
        });
        int exit;
        if (args.length == 1 && args[0].equals("--call-home-control")) {
            ai.djl.util.Ec2Utils.callHome("control");
            exit = 0;
        } else {
            exit = Main.run(args);
        }
        System.err.println("WATCH-DONE exit=" + exit);
        System.exit(exit);
    }

    private static void report(String destination, String host) {
        System.err.println((isLoopback(host) ? "LOOPBACK " : "OUTBOUND ") + destination);
    }

    static boolean isLoopback(String host) {
        if (host == null) return false;
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** A socket that reports where it was asked to connect and refuses. */
    private static final class RefusingSocket extends SocketImpl {
        private ConnectException refuse(String host, int port) {
            report("socket://" + host + ":" + port, host);
            return new ConnectException("refused by OutboundConnectionWatch: " + host + ":" + port);
        }

        @Override
        protected void connect(String host, int port) throws IOException { throw refuse(host, port); }

        @Override
        protected void connect(InetAddress address, int port) throws IOException {
            throw refuse(address.getHostAddress(), port);
        }

        @Override
        protected void connect(SocketAddress address, int timeout) throws IOException {
            var a = (InetSocketAddress) address;
            throw refuse(a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress(), a.getPort());
        }

        @Override protected void create(boolean stream) { }
        @Override protected void bind(InetAddress host, int port) throws IOException { throw new IOException("not supported"); }
        @Override protected void listen(int backlog) throws IOException { throw new IOException("not supported"); }
        @Override protected void accept(SocketImpl s) throws IOException { throw new IOException("not supported"); }
        @Override protected InputStream getInputStream() throws IOException { throw new IOException("not connected"); }
        @Override protected OutputStream getOutputStream() throws IOException { throw new IOException("not connected"); }
        @Override protected int available() { return 0; }
        @Override protected void close() { }
        @Override protected void sendUrgentData(int data) throws IOException { throw new IOException("not connected"); }
        @Override public void setOption(int optID, Object value) { }
        @Override public Object getOption(int optID) { return null; }
        @Override protected <T> void setOption(SocketOption<T> name, T value) { }
    }
}
