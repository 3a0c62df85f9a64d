package moq.relay.wire;

/**
 * Malformed input from a peer. Carries the session error the draft prescribes, so the session layer
 * can close exactly the offending session with the right code.
 *
 * <p>Stackless: a peer can trigger these at will, and a stack trace would make that a cheap CPU attack.
 */
public final class WireException extends Exception
{
    private static final long serialVersionUID = 1L;

    private final SessionError error;

    public WireException(final SessionError error, final String message)
    {
        super(message, null, false, false);
        this.error = error;
    }

    public static WireException protocolViolation(final String message)
    {
        return new WireException(SessionError.PROTOCOL_VIOLATION, message);
    }

    public static WireException kvpFormatting(final String message)
    {
        return new WireException(SessionError.KEY_VALUE_FORMATTING_ERROR, message);
    }

    public SessionError error()
    {
        return error;
    }

    @Override
    public String toString()
    {
        return error + " (0x" + Long.toHexString(error.code()) + "): " + getMessage();
    }
}
