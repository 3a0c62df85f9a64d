package moq.relay.auth;

import moq.relay.wire.Bytes;

/**
 * A token to verify: its MoQT Auth Token Type and value, from an AUTHORIZATION TOKEN (after the alias cache) or from
 * the {@code jwt} query parameter of the connection URL or SETUP PATH.
 *
 * <p>Type {@link #TYPE_CAT} (0x01, draft-ietf-moq-c4m §7.1.1) is a Common Access Token; every other type, 0x00
 * ("negotiated out-of-band") included, is read as a JWT in compact form, since no type is registered for JWTs.
 */
public record Credential(long tokenType, Bytes value)
{
    /** MOQT Auth Token Type of a Common Access Token (draft-ietf-moq-c4m). */
    public static final long TYPE_CAT = 0x01;
    /** The type this relay reports for a JWT taken from a URL (0x00: negotiated out of band). */
    public static final long TYPE_JWT = 0x00;

    public static Credential jwt(final String compact)
    {
        return new Credential(TYPE_JWT, Bytes.utf8(compact));
    }

    public static Credential cat(final byte[] cbor)
    {
        return new Credential(TYPE_CAT, Bytes.copyOf(cbor));
    }

    /** Never prints the token itself: tokens stay out of logs. */
    @Override
    public String toString()
    {
        return "Credential{type=0x" + Long.toHexString(tokenType) + ", " + value.length() + " bytes}";
    }
}
