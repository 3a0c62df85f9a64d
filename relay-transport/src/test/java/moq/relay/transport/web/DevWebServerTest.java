package moq.relay.transport.web;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import moq.relay.config.RelayConfiguration;
import moq.relay.transport.StartupException;
import moq.relay.transport.TestServers;
import moq.relay.transport.server.RelayServer;
import moq.relay.transport.server.ServerSettings;
import moq.relay.transport.session.SessionFactories;
import moq.relay.transport.tls.ServerCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The development web server as the relay runs it: TCP at the UDP port's number, HTTPS and HTTP on one port. */
class DevWebServerTest
{
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    Path certDir;

    private RelayServer server;

    @AfterEach
    void stop()
    {
        if (server != null)
        {
            server.close();
        }
    }

    private ServerCertificate start(final boolean dev, final AnnouncedNamespaces announced)
    {
        final ServerCertificate certificate = TestServers.certificate(certDir);
        server = new RelayServer(TestServers.settings(1, Duration.ZERO).withDev(dev),
            moq.relay.transport.quic.QuicSettings.fromSystemProperties(), certificate,
            SessionFactories.builder().build()).announcedNamespaces(announced).start();
        return certificate;
    }

    private HttpClient https(final ServerCertificate certificate) throws Exception
    {
        final KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        trusted.setCertificateEntry("relay", certificate.leaf());
        final TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        final SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ssl).connectTimeout(TIMEOUT).build();
    }

    private HttpResponse<String> get(final HttpClient client, final String scheme, final String path)
        throws Exception
    {
        final URI uri = URI.create(scheme + "://127.0.0.1:" + server.localAddress().getPort() + path);
        return client.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void fingerprintIsTheCertificatesSha256OverHttpsAndPlainHttpOnTheRelaysPortNumber() throws Exception
    {
        final ServerCertificate certificate = start(true, AnnouncedNamespaces.NONE);
        final String expected = HexFormat.of().formatHex(certificate.sha256());

        final HttpResponse<String> overTls = get(https(certificate), "https", "/fingerprint");
        final HttpResponse<String> plain = get(HttpClient.newBuilder().connectTimeout(TIMEOUT).build(), "http",
            "/fingerprint");

        for (final HttpResponse<String> response : List.of(overTls, plain))
        {
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(expected).hasSize(64);
            assertThat(response.headers().firstValue("access-control-allow-origin")).hasValue("*");
            assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain"));
        }
        assertThat(overTls.sslSession()).as("answered over TLS").isPresent();
        assertThat(plain.sslSession()).isEmpty();
    }

    @Test
    void certificateSha256IsTheHexFingerprintMoqDevClientsFetchForAnHttpRelayUrl() throws Exception
    {
        // @moq/lite and @moq/net, given http://HOST:PORT/..., fetch http://HOST:PORT/certificate.sha256 and pass the
        // body to Hex.toBytes without trimming: exactly 64 hex digits, no newline, readable cross-origin.
        final ServerCertificate certificate = start(true, AnnouncedNamespaces.NONE);
        final String expected = HexFormat.of().formatHex(certificate.sha256());

        final HttpResponse<String> plain = get(HttpClient.newBuilder().connectTimeout(TIMEOUT).build(), "http",
            "/certificate.sha256?ignored=1");
        final HttpResponse<String> overTls = get(https(certificate), "https", "/certificate.sha256");

        for (final HttpResponse<String> response : List.of(plain, overTls))
        {
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(expected).matches("[0-9a-f]{64}");
            assertThat(response.headers().firstValue("access-control-allow-origin")).hasValue("*");
        }
    }

    @Test
    void unknownPathsAndPathsOutOfTheAssetFolderAre404AndOtherMethods405() throws Exception
    {
        start(true, AnnouncedNamespaces.NONE);
        final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

        for (final String path : List.of("/nothing-here", "/moq", "/a/b", "/..%2Flogback.xml", "/.hidden",
            "/%2e%2e/logback.xml"))
        {
            assertThat(get(http, "http", path).statusCode()).as(path).isEqualTo(404);
        }
        final URI uri = URI.create("http://127.0.0.1:" + server.localAddress().getPort() + "/fingerprint");
        final HttpResponse<String> post = http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT)
            .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
    }

    @Test
    void demoPageIsServedFromTheJarsResources() throws Exception
    {
        start(true, AnnouncedNamespaces.NONE);
        final HttpResponse<String> page = get(HttpClient.newHttpClient(), "http", "/");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
        assertThat(page.body()).contains("<title>moq-relay chat demo</title>").contains("src=\"chat.js\"");
    }

    @Test
    void announcedListsTheNamespacesUnderThePathPrefixOnePerLine() throws Exception
    {
        final List<List<String>> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        start(true, prefix ->
        {
            asked.add(prefix);
            return List.of("moq-chat/lobby/alice", "moq-chat/lobby/bob");
        });
        final HttpClient http = HttpClient.newHttpClient();

        assertThat(get(http, "http", "/announced/moq-chat/lobby").body())
            .isEqualTo("moq-chat/lobby/alice\nmoq-chat/lobby/bob\n");
        get(http, "http", "/announced");
        assertThat(asked).containsExactly(List.of("moq-chat", "lobby"), List.of());
    }

    @Test
    void disabledByDefaultSoNoTcpPortIsOpened() throws Exception
    {
        assertThat(RelayConfiguration.DEV_DEFAULT).isFalse();
        assertThat(ServerSettings.fromSystemProperties().dev()).isFalse();
        start(false, AnnouncedNamespaces.NONE);

        assertThatThrownBy(() -> new Socket("127.0.0.1", server.localAddress().getPort()).close())
            .isInstanceOf(ConnectException.class);
    }

    @Test
    void stopsWithTheRelay() throws Exception
    {
        start(true, AnnouncedNamespaces.NONE);
        final int port = server.localAddress().getPort();
        new Socket("127.0.0.1", port).close();

        server.close();

        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
    }

    @Test
    void aTakenTcpPortStopsStartUpNamingWhatToChange() throws IOException
    {
        try (ServerSocket taken = tcpPortWithFreeUdp())
        {
            final ServerSettings settings = TestServers.settings(1, Duration.ZERO).withPort(taken.getLocalPort())
                .withDev(true);
            final RelayServer relay = new RelayServer(settings,
                moq.relay.transport.quic.QuicSettings.fromSystemProperties(), TestServers.certificate(certDir),
                SessionFactories.builder().build());

            assertThatThrownBy(relay::start).isInstanceOf(StartupException.class)
                .hasMessageContaining("cannot bind tcp").hasMessageContaining("-D" + RelayConfiguration.PORT_PROP_NAME)
                .hasMessageContaining(RelayConfiguration.DEV_PROP_NAME);
            relay.close();
        }
    }

    /**
     * A taken TCP port whose UDP port of the same number is free, so that the relay's UDP bind (first) succeeds and its
     * TCP bind is what fails: an ephemeral TCP port's UDP twin can be another socket's in this JVM.
     */
    private static ServerSocket tcpPortWithFreeUdp() throws IOException
    {
        while (true)
        {
            final ServerSocket taken = new ServerSocket();
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            try (java.net.DatagramSocket udp = new java.net.DatagramSocket(
                new InetSocketAddress("127.0.0.1", taken.getLocalPort())))
            {
                return taken;
            }
            catch (final java.net.SocketException inUse)
            {
                taken.close();
            }
        }
    }
}
