package moq.relay.transport.tls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The certificate chain (leaf first) and private key the relay presents in its TLS handshakes.
 *
 * @param origin where it came from, for the start-up log: a file path or "generated".
 */
public record ServerCertificate(List<X509Certificate> chain, PrivateKey key, String origin)
{
    public ServerCertificate
    {
        chain = List.copyOf(chain);
        if (chain.isEmpty())
        {
            throw new IllegalArgumentException("empty certificate chain");
        }
    }

    public X509Certificate leaf()
    {
        return chain.get(0);
    }

    /**
     * SHA-256 over the leaf certificate's DER encoding: the value WebTransport {@code serverCertificateHashes}
     * takes (as bytes) and {@code openssl x509 -fingerprint -sha256} prints.
     */
    public byte[] sha256()
    {
        try
        {
            return MessageDigest.getInstance("SHA-256").digest(leaf().getEncoded());
        }
        catch (final NoSuchAlgorithmException | CertificateEncodingException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /** {@link #sha256()} as upper-case hex pairs separated by colons, the openssl format ("AB:CD:…"). */
    public String sha256Fingerprint()
    {
        final byte[] hash = sha256();
        final StringBuilder out = new StringBuilder(hash.length * 3);
        for (final byte b : hash)
        {
            if (out.length() > 0)
            {
                out.append(':');
            }
            out.append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
        }
        return out.toString();
    }
}
