package moq.relay.transport.webtransport;

/**
 * HTTP/3 error codes WebTransport uses, and the mapping of 32-bit WebTransport application error codes into the
 * WT_APPLICATION_ERROR range of the HTTP/3 error space (draft-ietf-webtrans-http3-16 4.4).
 */
public final class WebTransportErrorCodes
{
    /** RFC 9114 8.1. */
    public static final long H3_NO_ERROR = 0x100;
    public static final long H3_GENERAL_PROTOCOL_ERROR = 0x101;
    public static final long H3_INTERNAL_ERROR = 0x102;
    public static final long H3_FRAME_ERROR = 0x106;
    public static final long H3_EXCESSIVE_LOAD = 0x107;
    public static final long H3_ID_ERROR = 0x108;
    public static final long H3_REQUEST_REJECTED = 0x10b;
    public static final long H3_REQUEST_CANCELLED = 0x10c;
    public static final long H3_MESSAGE_ERROR = 0x10e;

    /** Draft-16 9.5: a data stream whose session did not arrive in time (buffer limit, 4.6). */
    public static final long WT_BUFFERED_STREAM_REJECTED = 0x3994bd84L;
    /** Draft-16 9.5: the stream's session has terminated (6). */
    public static final long WT_SESSION_GONE = 0x170d7b68L;

    /** First and last HTTP/3 codes of the WT_APPLICATION_ERROR range (application codes 0 and 0xffffffff). */
    public static final long WT_APPLICATION_ERROR_FIRST = 0x52e4a40fa8dbL;
    public static final long WT_APPLICATION_ERROR_LAST = 0x52e5ac983162L;

    /** Returned by {@link #fromHttp3} for a code outside the WT_APPLICATION_ERROR range. */
    public static final long NOT_AN_APPLICATION_ERROR = -1;

    private WebTransportErrorCodes()
    {
    }

    /** The HTTP/3 code for a 32-bit WebTransport application error code (draft-16 4.4, figure 4). */
    public static long toHttp3(final long applicationCode)
    {
        if (applicationCode < 0 || applicationCode > 0xffff_ffffL)
        {
            throw new IllegalArgumentException("WebTransport application error codes are 32-bit: " + applicationCode);
        }
        return WT_APPLICATION_ERROR_FIRST + applicationCode + applicationCode / 0x1e;
    }

    /**
     * The WebTransport application code an HTTP/3 code stands for, or {@link #NOT_AN_APPLICATION_ERROR} when it is
     * outside the range or one of its reserved (0x1f * N + 0x21) codepoints.
     */
    public static long fromHttp3(final long http3Code)
    {
        if (http3Code < WT_APPLICATION_ERROR_FIRST || http3Code > WT_APPLICATION_ERROR_LAST ||
            (http3Code - 0x21) % 0x1f == 0)
        {
            return NOT_AN_APPLICATION_ERROR;
        }
        final long shifted = http3Code - WT_APPLICATION_ERROR_FIRST;
        return shifted - shifted / 0x1f;
    }
}
