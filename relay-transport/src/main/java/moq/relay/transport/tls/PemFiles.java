package moq.relay.transport.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;

import moq.relay.transport.StartupException;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads and writes PEM certificates and keys. Keys: PKCS#8 ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE
 * KEY}) and SEC1 ({@code EC PRIVATE KEY}, with or without a leading {@code EC PARAMETERS} block); EC and RSA;
 * unencrypted only. Every failure is a {@link StartupException} naming the property and the file.
 */
final class PemFiles
{
    private PemFiles()
    {
    }

    /** The certificates of a PEM file, in file order (leaf first for a chain). */
    static List<X509Certificate> readCertificates(final Path file, final String property)
    {
        checkReadable(file, property, "a PEM certificate chain (leaf first)");
        try (InputStream in = Files.newInputStream(file))
        {
            final List<X509Certificate> chain = new ArrayList<>();
            for (final var cert : CertificateFactory.getInstance("X.509").generateCertificates(in))
            {
                chain.add((X509Certificate)cert);
            }
            if (chain.isEmpty())
            {
                throw problem(property, file, "holds no \"-----BEGIN CERTIFICATE-----\" block", null);
            }
            return chain;
        }
        catch (final IOException | GeneralSecurityException ex)
        {
            throw problem(property, file, "is not a readable PEM certificate chain (" + ex.getMessage() + ")", ex);
        }
    }

    /** The single private key of a PEM file. */
    static PrivateKey readPrivateKey(final Path file, final String property)
    {
        checkReadable(file, property, "a PEM private key (PKCS#8, PKCS#1 or SEC1, unencrypted)");
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
            PEMParser parser = new PEMParser(reader))
        {
            for (Object o = parser.readObject(); o != null; o = parser.readObject())
            {
                if (o instanceof PrivateKeyInfo)
                {
                    return toPrivateKey((PrivateKeyInfo)o);
                }
                if (o instanceof PEMKeyPair)
                {
                    return toPrivateKey(((PEMKeyPair)o).getPrivateKeyInfo());
                }
                if (o instanceof PKCS8EncryptedPrivateKeyInfo || o instanceof PEMEncryptedKeyPair)
                {
                    throw problem(property, file, "holds an encrypted private key; decrypt it first, e.g. " +
                        "openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key.pem", null);
                }
                // Anything else (EC PARAMETERS, a certificate in a combined file) is skipped.
            }
            throw problem(property, file, "holds no PEM private key block (\"-----BEGIN PRIVATE KEY-----\", " +
                "\"RSA PRIVATE KEY\" or \"EC PRIVATE KEY\")", null);
        }
        catch (final IOException | GeneralSecurityException | RuntimeException ex)
        {
            if (ex instanceof StartupException)
            {
                throw (StartupException)ex;
            }
            throw problem(property, file, "is not a readable PEM private key (" + ex.getMessage() + ")", ex);
        }
    }

    /** Writes certificate and key (PKCS#8) atomically; the key file is readable by its owner only. */
    static void write(final X509Certificate cert, final PrivateKey key, final Path certFile, final Path keyFile)
        throws IOException
    {
        writeAtomically(keyFile, true, writer ->
        {
            writer.writeObject(new JcaPKCS8Generator(key, null));
        });
        writeAtomically(certFile, false, writer -> writer.writeObject(cert));
    }

    private static PrivateKey toPrivateKey(final PrivateKeyInfo info) throws IOException, GeneralSecurityException
    {
        final var algorithm = info.getPrivateKeyAlgorithm().getAlgorithm();
        final String jcaName;
        if (X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm))
        {
            jcaName = "EC";
        }
        else if (PKCSObjectIdentifiers.rsaEncryption.equals(algorithm))
        {
            jcaName = "RSA";
        }
        else
        {
            throw new GeneralSecurityException("unsupported key algorithm " + algorithm + " (use EC or RSA)");
        }
        // The JDK's own providers: no BouncyCastle JCA provider needs registering.
        return KeyFactory.getInstance(jcaName).generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
    }

    private static void checkReadable(final Path file, final String property, final String expected)
    {
        if (!Files.exists(file))
        {
            throw problem(property, file, "does not exist; point it at " + expected + ", or unset " +
                "moq.relay.tls.cert.file and moq.relay.tls.key.file to use a generated self-signed certificate",
                null);
        }
        if (!Files.isRegularFile(file))
        {
            throw problem(property, file, "is not a regular file; point it at " + expected, null);
        }
        if (!Files.isReadable(file))
        {
            throw problem(property, file, "is not readable by this user; fix its permissions", null);
        }
    }

    private static StartupException problem(final String property, final Path file, final String what,
        final Throwable cause)
    {
        return new StartupException("-D" + property + "=" + file + ": the file " + what, cause);
    }

    private interface PemContent
    {
        void writeTo(JcaPEMWriter writer) throws IOException;
    }

    private static void writeAtomically(final Path file, final boolean secret, final PemContent content)
        throws IOException
    {
        final Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        if (secret && Files.getFileStore(file.getParent()).supportsFileAttributeView("posix"))
        {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.US_ASCII);
            JcaPEMWriter writer = new JcaPEMWriter(out))
        {
            content.writeTo(writer);
        }
        try
        {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (final AtomicMoveNotSupportedException ex)
        {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
