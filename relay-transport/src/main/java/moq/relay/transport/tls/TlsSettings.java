package moq.relay.transport.tls;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import moq.relay.config.RelayConfiguration;

/**
 * Where the server certificate comes from: configured PEM files, or a self-signed certificate generated into
 * {@code certDir}. A snapshot of {@link RelayConfiguration}; tests build it directly.
 *
 * @param certFile PEM certificate chain, or null to use a generated self-signed certificate.
 * @param keyFile  PEM private key of {@code certFile}, or null.
 */
public record TlsSettings(
    Path certFile,
    Path keyFile,
    Path certDir,
    List<String> selfSignedHosts,
    Duration selfSignedValidity,
    Duration selfSignedRenewBefore)
{
    public TlsSettings
    {
        selfSignedHosts = List.copyOf(selfSignedHosts);
    }

    public static TlsSettings from(final RelayConfiguration config)
    {
        return new TlsSettings(
            pathOrNull(config.tlsCertFile()),
            pathOrNull(config.tlsKeyFile()),
            Path.of(config.tlsCertDir()),
            config.tlsSelfSignedHosts(),
            config.tlsSelfSignedValidity(),
            config.tlsSelfSignedRenewBefore());
    }

    /** The settings of the system properties ({@link RelayConfiguration#load()}). */
    public static TlsSettings fromSystemProperties()
    {
        return from(RelayConfiguration.load());
    }


    /** Settings for a generated self-signed certificate in {@code certDir}, other values at their defaults. */
    public static TlsSettings selfSigned(final Path certDir)
    {
        return new TlsSettings(null, null, certDir,
            List.of(RelayConfiguration.TLS_SELF_SIGNED_HOSTS_DEFAULT.split(",")),
            RelayConfiguration.TLS_SELF_SIGNED_VALIDITY_DEFAULT,
            RelayConfiguration.TLS_SELF_SIGNED_RENEW_BEFORE_DEFAULT);
    }

    /** Settings for configured PEM files. */
    public TlsSettings withFiles(final Path certFile, final Path keyFile)
    {
        return new TlsSettings(certFile, keyFile, certDir, selfSignedHosts, selfSignedValidity,
            selfSignedRenewBefore);
    }

    private static Path pathOrNull(final String value)
    {
        return value.isEmpty() ? null : Path.of(value);
    }
}
