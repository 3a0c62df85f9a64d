package moq.relay.transport;

/**
 * The relay cannot start: the message says what is wrong and how to fix it (which property, which file), and is
 * printed to the operator as it is.
 */
public final class StartupException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    public StartupException(final String message)
    {
        super(message);
    }

    public StartupException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
