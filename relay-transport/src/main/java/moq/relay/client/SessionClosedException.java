package moq.relay.client;

/** A request could not complete because the session closed. */
public final class SessionClosedException extends Exception
{
    private static final long serialVersionUID = 1L;

    private final transient SessionClose close;

    public SessionClosedException(final SessionClose close)
    {
        super("session " + close);
        this.close = close;
    }

    public SessionClose close()
    {
        return close;
    }
}
