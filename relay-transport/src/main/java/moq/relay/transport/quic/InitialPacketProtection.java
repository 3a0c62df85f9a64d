package moq.relay.transport.quic;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The server's QUIC version 1 Initial packet protection (RFC 9001 5.2-5.4): AES-128-GCM keys and the header
 * protection key derived from the client's first Destination Connection ID with HKDF-SHA256. The relay needs it
 * only to answer a connection it refuses without creating one ({@link StatelessClose}); quiche protects every other
 * packet. The JDK 17 crypto provider supplies HMAC, AES-GCM and AES-ECB; HKDF (RFC 5869) is the two HMAC steps below.
 *
 * <p>Not thread-safe (it holds its ciphers); cheap enough to make per refused Initial, which is rate-limited.
 */
final class InitialPacketProtection
{
    /** RFC 9001 5.2: initial_salt for QUIC version 1. */
    private static final byte[] INITIAL_SALT_V1 = {
        0x38, 0x76, 0x2c, (byte)0xf7, (byte)0xf5, 0x59, 0x34, (byte)0xb3, 0x4d, 0x17,
        (byte)0x9a, (byte)0xe6, (byte)0xa4, (byte)0xc8, 0x0c, (byte)0xad, (byte)0xcc, (byte)0xbb, 0x7f, 0x0a };
    static final int TAG_LENGTH = 16;
    static final int SAMPLE_LENGTH = 16;

    private final byte[] key;
    private final byte[] iv;
    private final byte[] hp;

    private InitialPacketProtection(final byte[] secret) throws GeneralSecurityException
    {
        key = expandLabel(secret, "quic key", 16);
        iv = expandLabel(secret, "quic iv", 12);
        hp = expandLabel(secret, "quic hp", 16);
    }

    /** The keys protecting the server's Initial packets of a connection whose client chose {@code clientDcid}. */
    static InitialPacketProtection server(final byte[] clientDcid) throws GeneralSecurityException
    {
        final byte[] initialSecret = hmac(INITIAL_SALT_V1, clientDcid); // HKDF-Extract
        return new InitialPacketProtection(expandLabel(initialSecret, "server in", 32));
    }

    byte[] key()
    {
        return key.clone();
    }

    byte[] iv()
    {
        return iv.clone();
    }

    byte[] hp()
    {
        return hp.clone();
    }

    /**
     * Protects a long-header packet in place: {@code packet[0, pnOffset + pnLength)} is its unprotected header (the
     * packet number's {@code pnLength} bytes last), {@code payloadLength} plaintext bytes follow, and
     * {@link #TAG_LENGTH} bytes of room after them receive the AEAD tag. Encrypts the payload (the header is the
     * associated data), then masks the first byte's low four bits and the packet number (RFC 9001 5.4.1).
     *
     * @return the protected packet's length.
     */
    int protect(final byte[] packet, final int pnOffset, final int pnLength, final long packetNumber,
        final int payloadLength) throws GeneralSecurityException
    {
        final int headerLength = pnOffset + pnLength;
        final byte[] nonce = iv.clone();
        for (int i = 0; i < 8; i++)
        {
            nonce[nonce.length - 1 - i] ^= (byte)(packetNumber >>> (8 * i));
        }
        final Cipher aead = Cipher.getInstance("AES/GCM/NoPadding");
        aead.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_LENGTH * 8, nonce));
        aead.updateAAD(packet, 0, headerLength);
        final int sealed = aead.doFinal(packet, headerLength, payloadLength, packet, headerLength);

        final Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding");
        ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(hp, "AES"));
        final byte[] mask = ecb.doFinal(packet, pnOffset + 4, SAMPLE_LENGTH);
        packet[0] ^= (byte)(mask[0] & 0x0f); // long header: the low four bits
        for (int i = 0; i < pnLength; i++)
        {
            packet[pnOffset + i] ^= mask[1 + i];
        }
        return headerLength + sealed;
    }

    /** TLS 1.3's HKDF-Expand-Label with an empty context, for a length of at most one SHA-256 block (RFC 8446 7.1). */
    private static byte[] expandLabel(final byte[] secret, final String label, final int length)
        throws GeneralSecurityException
    {
        final byte[] full = ("tls13 " + label).getBytes(StandardCharsets.US_ASCII);
        final byte[] info = new byte[2 + 1 + full.length + 1 + 1];
        info[0] = (byte)(length >>> 8);
        info[1] = (byte)length;
        info[2] = (byte)full.length;
        System.arraycopy(full, 0, info, 3, full.length);
        info[3 + full.length] = 0; // context: empty
        info[4 + full.length] = 1; // HKDF-Expand's block counter: T(1) is all this needs
        final byte[] block = hmac(secret, info);
        final byte[] out = new byte[length];
        System.arraycopy(block, 0, out, 0, length);
        return out;
    }

    private static byte[] hmac(final byte[] key, final byte[] data) throws GeneralSecurityException
    {
        final Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }
}
