package moq.relay.client;

import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * How the client verifies the server certificate: the JDK's default trust store, one trusted certificate (PEM
 * file or in memory), a SHA-256 fingerprint of the leaf certificate (the relay logs it at startup), or nothing
 * at all (tests only). Host name verification is off except for {@link Mode#SYSTEM}.
 */
public final class ClientTrust
{
    public enum Mode
    {
        SYSTEM,
        CERTIFICATE,
        FINGERPRINT,
        INSECURE
    }

    private final Mode mode;
    private final X509Certificate certificate;
    private final byte[] fingerprint;

    private ClientTrust(final Mode mode, final X509Certificate certificate, final byte[] fingerprint)
    {
        this.mode = mode;
        this.certificate = certificate;
        this.fingerprint = fingerprint;
    }

    public static ClientTrust system()
    {
        return new ClientTrust(Mode.SYSTEM, null, null);
    }

    /** Accepts any certificate: for tests and local experiments only. */
    public static ClientTrust insecure()
    {
        return new ClientTrust(Mode.INSECURE, null, null);
    }

    public static ClientTrust certificate(final X509Certificate trusted)
    {
        return new ClientTrust(Mode.CERTIFICATE, trusted, null);
    }

    /** Trusts the (first) certificate of a PEM or DER file. */
    public static ClientTrust certificateFile(final Path file)
    {
        try (InputStream in = Files.newInputStream(file))
        {
            return certificate((X509Certificate)CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        catch (final Exception e)
        {
            throw new IllegalArgumentException("cannot read a certificate from " + file + ": " + e.getMessage(), e);
        }
    }

    /** @param sha256 hex, with or without ':' separators, any case. */
    public static ClientTrust fingerprint(final String sha256)
    {
        final String hex = sha256.replace(":", "").trim().toLowerCase(Locale.ROOT);
        if (hex.length() != 64)
        {
            throw new IllegalArgumentException("a SHA-256 fingerprint has 32 bytes (64 hex digits): " + sha256);
        }
        return new ClientTrust(Mode.FINGERPRINT, null, HexFormat.of().parseHex(hex));
    }

    public Mode mode()
    {
        return mode;
    }

    QuicSslContext sslContext(final String alpn)
    {
        final QuicSslContextBuilder builder = QuicSslContextBuilder.forClient().applicationProtocols(alpn);
        switch (mode)
        {
            case INSECURE:
                builder.trustManager(InsecureTrustManagerFactory.INSTANCE).endpointIdentificationAlgorithm(null);
                break;
            case CERTIFICATE:
                builder.trustManager(certificate).endpointIdentificationAlgorithm(null);
                break;
            case FINGERPRINT:
                builder.trustManager(new FingerprintTrustManager(fingerprint)).endpointIdentificationAlgorithm(null);
                break;
            default:
                break;
        }
        return builder.build();
    }

    /** Accepts exactly the leaf certificate whose DER encoding has the pinned SHA-256. */
    private static final class FingerprintTrustManager extends X509ExtendedTrustManager
    {
        private final byte[] expected;

        FingerprintTrustManager(final byte[] expected)
        {
            this.expected = expected;
        }

        @Override
        public void checkServerTrusted(final X509Certificate[] chain, final String authType)
            throws CertificateException
        {
            if (chain == null || chain.length == 0)
            {
                throw new CertificateException("no server certificate");
            }
            final byte[] actual;
            try
            {
                actual = MessageDigest.getInstance("SHA-256").digest(chain[0].getEncoded());
            }
            catch (final NoSuchAlgorithmException | CertificateEncodingException e)
            {
                throw new CertificateException(e);
            }
            if (!MessageDigest.isEqual(expected, actual))
            {
                throw new CertificateException("server certificate SHA-256 " + HexFormat.of().formatHex(actual) +
                    " does not match the pinned fingerprint");
            }
        }

        @Override
        public void checkServerTrusted(final X509Certificate[] chain, final String authType, final Socket socket)
            throws CertificateException
        {
            checkServerTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(final X509Certificate[] chain, final String authType, final SSLEngine engine)
            throws CertificateException
        {
            checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(final X509Certificate[] chain, final String authType)
            throws CertificateException
        {
            throw new CertificateException("client side only");
        }

        @Override
        public void checkClientTrusted(final X509Certificate[] chain, final String authType, final Socket socket)
            throws CertificateException
        {
            throw new CertificateException("client side only");
        }

        @Override
        public void checkClientTrusted(final X509Certificate[] chain, final String authType, final SSLEngine engine)
            throws CertificateException
        {
            throw new CertificateException("client side only");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers()
        {
            return new X509Certificate[0];
        }
    }
}
