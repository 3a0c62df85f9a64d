package moq.relay.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import moq.relay.MoqRelay;
import moq.relay.config.RelayConfiguration;
import moq.relay.transport.StartupException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code serve}: runs the relay until SIGTERM (or Ctrl-C), then shuts down gracefully. A thin user of the embeddable
 * {@link MoqRelay}: system properties are the configuration; the options below are shortcuts that set the matching
 * property.
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

    @Option(names = "--dev", description = "Development mode: also serve HTTP and HTTPS on TCP at the same port " +
        "number, with /fingerprint, a chat demo page at http://localhost:PORT/ and a video-call page at " +
        "http://localhost:PORT/call.html (sets -D" +
        RelayConfiguration.DEV_PROP_NAME + "=true).")
    boolean dev;

    @Option(names = "--redis", description = "Redis URL for cluster discovery, e.g. redis://127.0.0.1:6379 (sets -D" +
        RelayConfiguration.CLUSTER_REDIS_URL_PROP_NAME + ").")
    String redis;

    @Option(names = "--advertise", description = "This relay's URL for other relays, moqt://host:port (sets -D" +
        RelayConfiguration.CLUSTER_ADVERTISED_URL_PROP_NAME + ").")
    String advertise;

    @Option(names = "--upstream", split = ",", description = "Static upstream relay URL(s), moqt://host:port, asked " +
        "for namespaces nothing local serves (sets -D" + RelayConfiguration.CLUSTER_UPSTREAMS_PROP_NAME + ").")
    java.util.List<String> upstreams;

    @Option(names = "--peer-trust", description = "How to check peer relays' certificates: system, insecure, " +
        "sha256:HEX or a PEM file (sets -D" + RelayConfiguration.CLUSTER_PEER_TRUST_PROP_NAME + ").")
    String peerTrust;

    @Override
    public Integer call() throws InterruptedException
    {
        FatalErrors.install(); // an OutOfMemoryError ends the process instead of leaving a zombie
        applyOverrides();
        final MoqRelay relay;
        try
        {
            // The settings are the system properties; the embeddable relay reads and checks every one of them before
            // it touches the disk or the network (the authorization keys included).
            final RelayConfiguration config = RelayConfiguration.load();
            if (config.authEnabled() && config.authKeys().isEmpty() && config.authPublicGet().isEmpty() &&
                config.authPublicPut().isEmpty())
            {
                throw new IllegalArgumentException(RelayConfiguration.AUTH_ENABLED_PROP_NAME + "=true with neither " +
                    RelayConfiguration.AUTH_KEYS_PROP_NAME + " nor a public prefix: every session would be refused");
            }
            config.logLevel(); // logback.xml applies it; checked here, as logback reads a misspelt level as DEBUG
            config.logControl();
            io.netty.util.ResourceLeakDetector.setLevel(io.netty.util.ResourceLeakDetector.Level.valueOf(
                config.nettyLeakDetection().toUpperCase(java.util.Locale.ROOT)));
            relay = MoqRelay.builder().settings(System.getProperties()).start();
        }
        catch (final StartupException | IllegalArgumentException ex)
        {
            System.err.println("moq-relay: cannot start: " + ex.getMessage());
            return EXIT_CANNOT_START;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(relay::stop, "moq-relay-shutdown"));
        relay.awaitTermination();
        return 0;
    }

    private static void setIf(final String property, final String value)
    {
        if (value != null)
        {
            System.setProperty(property, value);
        }
    }

    private void applyOverrides()
    {
        setIf(RelayConfiguration.CLUSTER_REDIS_URL_PROP_NAME, redis);
        setIf(RelayConfiguration.CLUSTER_ADVERTISED_URL_PROP_NAME, advertise);
        setIf(RelayConfiguration.CLUSTER_UPSTREAMS_PROP_NAME, upstreams == null ? null : String.join(",", upstreams));
        setIf(RelayConfiguration.CLUSTER_PEER_TRUST_PROP_NAME, peerTrust);
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
        if (dev)
        {
            System.setProperty(RelayConfiguration.DEV_PROP_NAME, "true");
        }
    }
}
