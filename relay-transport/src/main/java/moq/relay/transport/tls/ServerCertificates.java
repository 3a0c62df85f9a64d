package moq.relay.transport.tls;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import moq.relay.config.RelayConfiguration;
import moq.relay.transport.StartupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Picks the server certificate: the configured PEM files when set, else the generated self-signed one. */
public final class ServerCertificates
{
    private static final Logger LOG = LoggerFactory.getLogger(ServerCertificates.class);

    private ServerCertificates()
    {
    }

    /** @throws StartupException naming the property and file when a configured file is missing or wrong. */
    public static ServerCertificate load(final TlsSettings settings, final Clock clock)
    {
        final Path certFile = settings.certFile();
        final Path keyFile = settings.keyFile();
        if (certFile == null && keyFile == null)
        {
            return SelfSignedCertificates.loadOrCreate(settings, clock);
        }
        if (certFile == null || keyFile == null)
        {
            final String set = certFile == null ? RelayConfiguration.TLS_KEY_FILE_PROP_NAME :
                RelayConfiguration.TLS_CERT_FILE_PROP_NAME;
            final String unset = certFile == null ? RelayConfiguration.TLS_CERT_FILE_PROP_NAME :
                RelayConfiguration.TLS_KEY_FILE_PROP_NAME;
            throw new StartupException("-D" + set + " is set but -D" + unset + " is not: set both (certificate " +
                "chain and its private key), or neither to use a generated self-signed certificate");
        }
        final List<X509Certificate> chain =
            PemFiles.readCertificates(certFile, RelayConfiguration.TLS_CERT_FILE_PROP_NAME);
        final PrivateKey key = PemFiles.readPrivateKey(keyFile, RelayConfiguration.TLS_KEY_FILE_PROP_NAME);
        checkKeyMatches(chain.get(0), key, certFile, keyFile);
        warnIfNotValidNow(chain.get(0), certFile, clock.instant());
        return new ServerCertificate(chain, key, certFile.toString());
    }

    /** A key that does not belong to the certificate would only fail later, in every client's handshake. */
    private static void checkKeyMatches(final X509Certificate leaf, final PrivateKey key, final Path certFile,
        final Path keyFile)
    {
        final String algorithm = "EC".equals(key.getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
        try
        {
            final byte[] probe = new byte[32];
            new SecureRandom().nextBytes(probe);
            final Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            final byte[] signature = signer.sign();
            final Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(leaf.getPublicKey());
            verifier.update(probe);
            if (verifier.verify(signature))
            {
                return;
            }
        }
        catch (final GeneralSecurityException ex)
        {
            // Falls through: a key of another type than the certificate's also means "does not match".
        }
        throw new StartupException("-D" + RelayConfiguration.TLS_KEY_FILE_PROP_NAME + "=" + keyFile +
            ": the private key does not belong to the first certificate of -D" +
            RelayConfiguration.TLS_CERT_FILE_PROP_NAME + "=" + certFile + "; configure the matching pair");
    }

    private static void warnIfNotValidNow(final X509Certificate leaf, final Path certFile, final Instant now)
    {
        if (now.isAfter(leaf.getNotAfter().toInstant()) || now.isBefore(leaf.getNotBefore().toInstant()))
        {
            LOG.warn("certificate {} is not valid now (valid {} to {}): clients will reject it", certFile,
                leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant());
        }
    }
}
