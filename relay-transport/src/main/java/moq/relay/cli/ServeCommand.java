package moq.relay.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;

import moq.relay.config.RelayConfiguration;
import moq.relay.transport.StartupException;
import moq.relay.transport.quic.QuicSettings;
import moq.relay.transport.server.RelayServer;
import moq.relay.transport.server.ServerSettings;
import moq.relay.transport.session.SessionFactories;
import moq.relay.transport.tls.ServerCertificate;
import moq.relay.transport.tls.ServerCertificates;
import moq.relay.transport.tls.TlsSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code serve}: runs the relay until SIGTERM (or Ctrl-C), then shuts down gracefully. System properties are the
 * configuration; the options below are shortcuts that set the matching property.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Run the relay (raw QUIC and WebTransport on one UDP port) until SIGTERM. " +
        "Configure it with -Dmoq.relay.* system properties; the options below override a few of them.")
final class ServeCommand implements Callable<Integer>
{
    /** Exit code for a configuration or start-up problem (picocli uses 2 for usage errors too). */
    static final int EXIT_CANNOT_START = 2;

    @Option(names = "--port", description = "UDP port (sets -D" + RelayConfiguration.PORT_PROP_NAME + ").")
    Integer port;

    @Option(names = "--cert", description = "PEM certificate chain (sets -D" +
        RelayConfiguration.TLS_CERT_FILE_PROP_NAME + ").")
    Path cert;

    @Option(names = "--key", description = "PEM private key (sets -D" + RelayConfiguration.TLS_KEY_FILE_PROP_NAME +
        ").")
    Path key;

    /** Session factories to serve; the MoQT session layer registers its drafts here. */
    private final SessionFactories factories;

    ServeCommand()
    {
        this(SessionFactories.builder().build());
    }

    ServeCommand(final SessionFactories factories)
    {
        this.factories = factories;
    }

    @Override
    public Integer call() throws InterruptedException
    {
        applyOverrides();
        final RelayServer server;
        try
        {
            // Every property is read and checked before anything touches the disk or the network.
            final ServerSettings serverSettings = ServerSettings.fromSystemProperties();
            final QuicSettings quicSettings = QuicSettings.fromSystemProperties();
            final TlsSettings tlsSettings = TlsSettings.fromSystemProperties();
            final ServerCertificate certificate = ServerCertificates.load(tlsSettings, Clock.systemUTC());
            server = new RelayServer(serverSettings, quicSettings, certificate, factories).start();
        }
        catch (final StartupException | IllegalArgumentException ex)
        {
            System.err.println("moq-relay: cannot start: " + ex.getMessage());
            return EXIT_CANNOT_START;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownGracefully, "moq-relay-shutdown"));
        server.awaitTermination();
        return 0;
    }

    private void applyOverrides()
    {
        if (port != null)
        {
            System.setProperty(RelayConfiguration.PORT_PROP_NAME, port.toString());
        }
        if (cert != null)
        {
            System.setProperty(RelayConfiguration.TLS_CERT_FILE_PROP_NAME, cert.toString());
        }
        if (key != null)
        {
            System.setProperty(RelayConfiguration.TLS_KEY_FILE_PROP_NAME, key.toString());
        }
    }
}
