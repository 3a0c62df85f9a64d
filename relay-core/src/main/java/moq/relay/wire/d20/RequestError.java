package moq.relay.wire.d20;

import moq.relay.wire.Bytes;
import moq.relay.wire.Limits;
import moq.relay.wire.WireException;
import moq.relay.wire.WireReader;
import moq.relay.wire.WireWriter;
import moq.relay.wire.param.Messages;
import moq.relay.wire.param.Names;
import moq.relay.wire.param.Redirect;

/**
 * REQUEST_ERROR (0x5, draft-21 §9.4): {@code Error Code, Retry Interval, Error Reason (Reason Phrase),
 * [Redirect]}; the Redirect is present exactly when the code is {@link RequestErrorCode#REDIRECT} (null
 * otherwise). Retry Interval is milliseconds plus one, 0 meaning do not retry.
 */
public record RequestError(long errorCode, long retryInterval, Bytes reason, Redirect redirect)
    implements Draft20Message, Messages.RequestError
{
    public RequestError
    {
        Names.require(reason, "reason");
        if (reason.length() > Limits.MAX_REASON_PHRASE_LENGTH)
        {
            throw new IllegalArgumentException("reason phrase longer than " + Limits.MAX_REASON_PHRASE_LENGTH);
        }
        if ((errorCode == RequestErrorCode.REDIRECT) != (redirect != null))
        {
            throw new IllegalArgumentException("a redirect goes with code REDIRECT and only with it");
        }
    }

    public static RequestError of(final long errorCode, final long retryInterval, final Bytes reason)
    {
        return new RequestError(errorCode, retryInterval, reason, null);
    }

    public static RequestError redirect(final long retryInterval, final Bytes reason, final Redirect redirect)
    {
        return new RequestError(RequestErrorCode.REDIRECT, retryInterval, reason, redirect);
    }

    @Override
    public long type()
    {
        return MessageType.REQUEST_ERROR;
    }

    public static RequestError read(final WireReader reader) throws WireException
    {
        final long code = reader.varint();
        final long retry = reader.varint();
        final Bytes reason = reader.reasonPhrase();
        final Redirect redirect = code == RequestErrorCode.REDIRECT ? Redirect.read(reader) : null;
        return new RequestError(code, retry, reason, redirect);
    }

    @Override
    public void writePayload(final WireWriter writer)
    {
        writer.varint(errorCode).varint(retryInterval).lengthPrefixed(reason);
        if (redirect != null)
        {
            redirect.write(writer);
        }
    }

    /** True if the request may be retried; after {@link #retryDelayMillis()}. */
    public boolean retryable()
    {
        return retryInterval != 0;
    }

    public long retryDelayMillis()
    {
        return retryInterval == 0 ? -1 : retryInterval - 1;
    }
}
