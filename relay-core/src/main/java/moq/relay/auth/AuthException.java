package moq.relay.auth;

/** An authorization refusal: its {@link AuthFailure} picks the code; the message is for logs and never holds a token. */
public final class AuthException extends Exception
{
    private static final long serialVersionUID = 1L;

    private final AuthFailure failure;

    public AuthException(final AuthFailure failure, final String message)
    {
        super(message, null, false, false);
        this.failure = failure;
    }

    public AuthFailure failure()
    {
        return failure;
    }

    @Override
    public String toString()
    {
        return failure + ": " + getMessage();
    }
}
