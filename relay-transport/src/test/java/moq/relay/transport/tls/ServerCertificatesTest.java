package moq.relay.transport.tls;

import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;

import moq.relay.transport.StartupException;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServerCertificatesTest
{
    @TempDir
    Path dir;

    private Path certFile()
    {
        return dir.resolve("cert.pem");
    }

    private Path keyFile()
    {
        return dir.resolve("key.pem");
    }

    private TlsSettings configured(final Path cert, final Path key)
    {
        return TlsSettings.selfSigned(dir.resolve("generated")).withFiles(cert, key);
    }

    private static KeyPair keyPair(final String algorithm) throws Exception
    {
        final KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
        generator.initialize("EC".equals(algorithm) ? 256 : 2048);
        return generator.generateKeyPair();
    }

    private static X509Certificate certificate(final KeyPair keyPair) throws Exception
    {
        final X500Name name = new X500Name("CN=test");
        final Instant now = Instant.now();
        final String signature = "EC".equals(keyPair.getPublic().getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
        return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name,
            BigInteger.ONE, Date.from(now.minus(1, ChronoUnit.HOURS)), Date.from(now.plus(30, ChronoUnit.DAYS)),
            name, keyPair.getPublic()).build(new JcaContentSignerBuilder(signature).build(keyPair.getPrivate())));
    }

    /** Writes the key as PKCS#8 ("PRIVATE KEY") or in the traditional OpenSSL form (PKCS#1 / SEC1). */
    private void writePem(final X509Certificate cert, final KeyPair keyPair, final boolean pkcs8) throws Exception
    {
        try (Writer out = Files.newBufferedWriter(certFile()); JcaPEMWriter pem = new JcaPEMWriter(out))
        {
            pem.writeObject(cert);
        }
        try (Writer out = Files.newBufferedWriter(keyFile()); JcaPEMWriter pem = new JcaPEMWriter(out))
        {
            if (pkcs8)
            {
                pem.writeObject(new JcaPKCS8Generator(keyPair.getPrivate(), null));
            }
            else if (keyPair.getPrivate() instanceof ECPrivateKey)
            {
                // SEC1 as openssl writes it: the curve named inside the ECPrivateKey structure.
                final ECPrivateKey ec = (ECPrivateKey)keyPair.getPrivate();
                pem.writeObject(new PemObject("EC PRIVATE KEY", new org.bouncycastle.asn1.sec.ECPrivateKey(256,
                    ec.getS(), new DERBitString(SubjectPublicKeyInfo.getInstance(keyPair.getPublic().getEncoded())
                    .getPublicKeyData().getBytes()), SECObjectIdentifiers.secp256r1).getEncoded()));
            }
            else
            {
                pem.writeObject(keyPair);
            }
        }
    }

    private ServerCertificate load(final TlsSettings settings)
    {
        return ServerCertificates.load(settings, Clock.systemUTC());
    }

    @Test
    void noConfiguredFilesMeansTheGeneratedSelfSignedCertificate()
    {
        final ServerCertificate certificate = load(TlsSettings.selfSigned(dir));

        assertThat(certificate.origin()).endsWith(SelfSignedCertificates.CERT_FILE_NAME);
    }

    @Test
    void configuredEcPkcs8PemFilesAreUsed() throws Exception
    {
        assertConfiguredKeyLoads("EC", true);
    }

    @Test
    void configuredEcSec1PemKeyIsUsed() throws Exception
    {
        assertConfiguredKeyLoads("EC", false);
    }

    @Test
    void configuredRsaPkcs8PemFilesAreUsed() throws Exception
    {
        assertConfiguredKeyLoads("RSA", true);
    }

    @Test
    void configuredRsaPkcs1PemKeyIsUsed() throws Exception
    {
        assertConfiguredKeyLoads("RSA", false);
    }

    private void assertConfiguredKeyLoads(final String algorithm, final boolean pkcs8) throws Exception
    {
        final KeyPair keyPair = keyPair(algorithm);
        final X509Certificate cert = certificate(keyPair);
        writePem(cert, keyPair, pkcs8);
        assertThat(Files.readString(keyFile())).startsWith(pkcs8 ? "-----BEGIN PRIVATE KEY-----" :
            "-----BEGIN " + algorithm + " PRIVATE KEY-----");

        final ServerCertificate loaded = load(configured(certFile(), keyFile()));

        assertThat(loaded.leaf()).isEqualTo(cert);
        // Encodings differ between formats (SEC1 embeds the public key); the key material must not.
        assertThat(loaded.key().getAlgorithm()).isEqualTo(algorithm);
        if (loaded.key() instanceof ECPrivateKey)
        {
            assertThat(((ECPrivateKey)loaded.key()).getS()).isEqualTo(((ECPrivateKey)keyPair.getPrivate()).getS());
        }
        else
        {
            assertThat(((RSAPrivateKey)loaded.key()).getPrivateExponent())
                .isEqualTo(((RSAPrivateKey)keyPair.getPrivate()).getPrivateExponent());
        }
        assertThat(loaded.origin()).isEqualTo(certFile().toString());
    }

    @Test
    void missingConfiguredCertificateFileFailsNamingPropertyAndPath() throws Exception
    {
        final Path missing = dir.resolve("no-such-cert.pem");
        Files.writeString(keyFile(), "irrelevant");

        assertThatThrownBy(() -> load(configured(missing, keyFile())))
            .isInstanceOf(StartupException.class)
            .hasMessageContaining("-Dmoq.relay.tls.cert.file=" + missing)
            .hasMessageContaining("does not exist");
    }

    @Test
    void missingConfiguredKeyFileFailsNamingPropertyAndPath() throws Exception
    {
        final KeyPair keyPair = keyPair("EC");
        writePem(certificate(keyPair), keyPair, true);
        final Path missing = dir.resolve("no-such-key.pem");

        assertThatThrownBy(() -> load(configured(certFile(), missing)))
            .isInstanceOf(StartupException.class)
            .hasMessageContaining("-Dmoq.relay.tls.key.file=" + missing)
            .hasMessageContaining("does not exist");
    }

    @Test
    void certificateWithoutKeyFailsNamingBothProperties()
    {
        assertThatThrownBy(() -> load(configured(certFile(), null)))
            .isInstanceOf(StartupException.class)
            .hasMessageContaining("moq.relay.tls.cert.file")
            .hasMessageContaining("moq.relay.tls.key.file");
    }

    @Test
    void fileWithoutCertificateFailsSayingWhatIsMissing() throws Exception
    {
        Files.writeString(certFile(), "hello\n");
        Files.writeString(keyFile(), "hello\n");

        assertThatThrownBy(() -> load(configured(certFile(), keyFile())))
            .isInstanceOf(StartupException.class)
            .hasMessageContaining("-Dmoq.relay.tls.cert.file=" + certFile());
    }

    @Test
    void keyOfAnotherCertificateFailsNamingBothFiles() throws Exception
    {
        final KeyPair certKeys = keyPair("EC");
        writePem(certificate(certKeys), keyPair("EC"), true);

        assertThatThrownBy(() -> load(configured(certFile(), keyFile())))
            .isInstanceOf(StartupException.class)
            .hasMessageContaining("does not belong")
            .hasMessageContaining(keyFile().toString())
            .hasMessageContaining(certFile().toString());
    }
}
