package moq.relay.transport.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import moq.relay.config.RelayConfiguration;
import moq.relay.transport.StartupException;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The development certificate: ECDSA P-256, valid for at most 14 days (what browsers accept for WebTransport
 * {@code serverCertificateHashes}), stored in the certificate directory and reused across restarts while it has
 * enough validity left and names the configured hosts.
 */
public final class SelfSignedCertificates
{
    /** Certificate file name inside the certificate directory. */
    public static final String CERT_FILE_NAME = "self-signed-cert.pem";
    /** Private key file name (PKCS#8 PEM, owner-readable only) inside the certificate directory. */
    public static final String KEY_FILE_NAME = "self-signed-key.pem";

    /** Browsers reject serverCertificateHashes certificates valid for longer. */
    static final Duration MAX_VALIDITY = Duration.ofDays(14);
    /** Back-dating tolerates clients whose clocks run slightly behind. */
    private static final Duration BACKDATE = Duration.ofHours(1);
    private static final Logger LOG = LoggerFactory.getLogger(SelfSignedCertificates.class);

    private SelfSignedCertificates()
    {
    }

    /** Loads the stored certificate when still good for {@code settings}, else generates and stores a new one. */
    public static ServerCertificate loadOrCreate(final TlsSettings settings, final Clock clock)
    {
        final Path dir = settings.certDir();
        final Path certFile = dir.resolve(CERT_FILE_NAME);
        final Path keyFile = dir.resolve(KEY_FILE_NAME);
        final Instant now = clock.instant();
        if (Files.exists(certFile) && Files.exists(keyFile))
        {
            try
            {
                final List<X509Certificate> chain =
                    PemFiles.readCertificates(certFile, RelayConfiguration.TLS_CERT_DIR_PROP_NAME);
                final String unusable = whyUnusable(chain.get(0), settings, now);
                if (unusable == null)
                {
                    return new ServerCertificate(chain,
                        PemFiles.readPrivateKey(keyFile, RelayConfiguration.TLS_CERT_DIR_PROP_NAME),
                        certFile.toString());
                }
                LOG.info("replacing self-signed certificate {}: {}", certFile, unusable);
            }
            catch (final StartupException ex)
            {
                LOG.warn("replacing unreadable self-signed certificate: {}", ex.getMessage());
            }
        }
        return create(settings, now, certFile, keyFile);
    }

    private static ServerCertificate create(final TlsSettings settings, final Instant now, final Path certFile,
        final Path keyFile)
    {
        try
        {
            Files.createDirectories(certFile.getParent());
        }
        catch (final IOException ex)
        {
            throw new StartupException("-D" + RelayConfiguration.TLS_CERT_DIR_PROP_NAME + "=" +
                certFile.getParent() + ": cannot create the directory (" + ex + "); point it at a writable " +
                "directory", ex);
        }
        try
        {
            final KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            final KeyPair keyPair = generator.generateKeyPair();
            final Instant notBefore = now.minus(BACKDATE);
            final Instant notAfter = notBefore.plus(settings.selfSignedValidity());
            final X500Name subject = new X500Name("CN=moq-relay self-signed");
            final var builder = new JcaX509v3CertificateBuilder(subject,
                new BigInteger(64, new SecureRandom()).setBit(63), Date.from(notBefore), Date.from(notAfter),
                subject, keyPair.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false, subjectAltNames(settings));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false,
                new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            final X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate())));
            PemFiles.write(cert, keyPair.getPrivate(), certFile, keyFile);
            LOG.info("generated self-signed ECDSA P-256 certificate {} valid until {} for {}",
                certFile, notAfter, settings.selfSignedHosts());
            return new ServerCertificate(List.of(cert), keyPair.getPrivate(), certFile.toString());
        }
        catch (final IOException ex)
        {
            throw new StartupException("-D" + RelayConfiguration.TLS_CERT_DIR_PROP_NAME + "=" +
                certFile.getParent() + ": cannot write the self-signed certificate (" + ex + "); point it at a " +
                "writable directory", ex);
        }
        catch (final GeneralSecurityException | OperatorCreationException ex)
        {
            throw new IllegalStateException("cannot generate a self-signed certificate", ex);
        }
    }

    /** Why a stored certificate must be replaced, or null if it can be reused. */
    private static String whyUnusable(final X509Certificate cert, final TlsSettings settings, final Instant now)
    {
        final Instant notBefore = cert.getNotBefore().toInstant();
        final Instant notAfter = cert.getNotAfter().toInstant();
        if (now.isBefore(notBefore))
        {
            return "not valid before " + notBefore;
        }
        if (Duration.between(now, notAfter).compareTo(settings.selfSignedRenewBefore()) < 0)
        {
            return "expires at " + notAfter + ", less than " + settings.selfSignedRenewBefore() + " from now";
        }
        if (Duration.between(notBefore, notAfter).compareTo(MAX_VALIDITY) > 0)
        {
            return "valid for more than 14 days, which browsers reject";
        }
        if (!(cert.getPublicKey() instanceof ECPublicKey) || !isP256((ECPublicKey)cert.getPublicKey()))
        {
            return "its key is not ECDSA P-256";
        }
        final Set<String> names = subjectAltNames(cert);
        if (!names.equals(normalisedHosts(settings)))
        {
            return "it names " + names + ", not the configured " + settings.selfSignedHosts();
        }
        return null;
    }

    /**
     * Compares the curve itself, not its name: JDK 17 names the decoded parameters by OID, JDK 25 by
     * "secp256r1", so a name check regenerated a fresh certificate on every start under JDK 25.
     */
    private static boolean isP256(final ECPublicKey key)
    {
        try
        {
            final var params = java.security.AlgorithmParameters.getInstance("EC");
            params.init(new ECGenParameterSpec("secp256r1"));
            final ECParameterSpec p256 = params.getParameterSpec(ECParameterSpec.class);
            final ECParameterSpec actual = key.getParams();
            return actual.getCurve().equals(p256.getCurve()) &&
                actual.getGenerator().equals(p256.getGenerator()) &&
                actual.getOrder().equals(p256.getOrder()) &&
                actual.getCofactor() == p256.getCofactor();
        }
        catch (final GeneralSecurityException ex)
        {
            return false;
        }
    }

    private static GeneralNames subjectAltNames(final TlsSettings settings)
    {
        final GeneralName[] names = new GeneralName[settings.selfSignedHosts().size()];
        for (int i = 0; i < names.length; i++)
        {
            final String host = settings.selfSignedHosts().get(i);
            names[i] = isIpLiteral(host) ?
                new GeneralName(GeneralName.iPAddress, host) : new GeneralName(GeneralName.dNSName, host);
        }
        return new GeneralNames(names);
    }

    private static Set<String> normalisedHosts(final TlsSettings settings)
    {
        final Set<String> hosts = new HashSet<>();
        for (final String host : settings.selfSignedHosts())
        {
            hosts.add(normalise(host));
        }
        return hosts;
    }

    private static Set<String> subjectAltNames(final X509Certificate cert)
    {
        final Set<String> names = new HashSet<>();
        try
        {
            final Collection<List<?>> entries = cert.getSubjectAlternativeNames();
            if (entries != null)
            {
                for (final List<?> entry : entries)
                {
                    names.add(normalise(String.valueOf(entry.get(1))));
                }
            }
        }
        catch (final GeneralSecurityException ex)
        {
            // An unparseable extension means "names nothing": the certificate is replaced.
        }
        return names;
    }

    /** IP literals in one canonical text form, so "::1" and "0:0:0:0:0:0:0:1" compare equal. */
    private static String normalise(final String host)
    {
        if (isIpLiteral(host))
        {
            try
            {
                return InetAddress.getByName(host).getHostAddress();
            }
            catch (final IOException ex)
            {
                return host;
            }
        }
        return host.toLowerCase(java.util.Locale.ROOT);
    }

    private static boolean isIpLiteral(final String host)
    {
        return host.indexOf(':') >= 0 || host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }
}
