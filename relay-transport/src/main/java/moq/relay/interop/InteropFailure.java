package moq.relay.interop;

/** A test case did not get what it expected; carries the TAP diagnostics {@code expected} and {@code received}. */
public final class InteropFailure extends Exception
{
    private static final long serialVersionUID = 1L;

    private final String expected;
    private final String received;

    public InteropFailure(final String expected, final String received, final String message)
    {
        super(message);
        this.expected = expected;
        this.received = received;
    }

    public String expected()
    {
        return expected;
    }

    public String received()
    {
        return received;
    }
}
