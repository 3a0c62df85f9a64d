package moq.relay.client;

/**
 * The peer answered a request with an error: draft-18 REQUEST_ERROR, draft-14 SUBSCRIBE_ERROR, FETCH_ERROR,
 * PUBLISH_ERROR or PUBLISH_NAMESPACE_ERROR.
 */
public final class RequestRejectedException extends Exception
{
    private static final long serialVersionUID = 1L;

    private final long errorCode;
    private final long retryInterval;

    public RequestRejectedException(final String request, final long errorCode, final long retryInterval,
        final String reason)
    {
        super(request + " rejected with code 0x" + Long.toHexString(errorCode) + (reason.isEmpty() ? "" : ": " + reason));
        this.errorCode = errorCode;
        this.retryInterval = retryInterval;
    }

    public long errorCode()
    {
        return errorCode;
    }

    /** Draft-18 Retry Interval (milliseconds + 1; 0 = do not retry); 0 on draft-14. */
    public long retryInterval()
    {
        return retryInterval;
    }
}
