package moq.relay.client;

/**
 * How a session ended.
 *
 * @param local  true when this client closed it (including for malformed input from the server).
 * @param code   the application error code (MoQT session error, e.g. 0x3 PROTOCOL_VIOLATION), or -1 when the
 *               connection ended without an application close (idle timeout, transport error).
 * @param reason the reason phrase, possibly empty.
 */
public record SessionClose(boolean local, long code, String reason)
{
    @Override
    public String toString()
    {
        return (local ? "closed locally" : "closed by peer") + " with code 0x" + Long.toHexString(code) +
            (reason.isEmpty() ? "" : ": " + reason);
    }
}
