package moq.relay.session;

import moq.relay.fanout.PublishDoneStatus;
import moq.relay.engine.RequestErrorCode;

/**
 * Draft-14's per-message code tables against the engine's draft-18 codes. Codes draft-14 has no name for become
 * INTERNAL_ERROR (0x0), the closest honest answer.
 */
final class Draft14Codes
{
    private Draft14Codes()
    {
    }

    /** SUBSCRIBE_ERROR / TRACK_STATUS_ERROR / FETCH_ERROR code for an engine error. */
    static long subscribeError(final RequestErrorCode code)
    {
        switch (code)
        {
            case UNAUTHORIZED:
                return 0x1;
            case TIMEOUT:
                return 0x2;
            case NOT_SUPPORTED:
                return 0x3;
            case DOES_NOT_EXIST:
                return 0x4;
            case INVALID_RANGE:
                return 0x5;
            case MALFORMED_AUTH_TOKEN:
                return 0x10;
            case EXPIRED_AUTH_TOKEN:
                return 0x12;
            default:
                return 0x0;
        }
    }

    /** FETCH_ERROR has its own table in draft-14 (INVALID_JOINING_REQUEST_ID 0x7, ...). */
    static long fetchError(final RequestErrorCode code)
    {
        switch (code)
        {
            case INVALID_JOINING_REQUEST_ID:
                return 0x7;
            case MALFORMED_TRACK:
                return 0x9;
            default:
                return subscribeError(code);
        }
    }

    /** PUBLISH_NAMESPACE_ERROR / PUBLISH_ERROR / SUBSCRIBE_NAMESPACE_ERROR code for an engine error. */
    static long namespaceError(final RequestErrorCode code)
    {
        switch (code)
        {
            case UNAUTHORIZED:
                return 0x1;
            case TIMEOUT:
                return 0x2;
            case NOT_SUPPORTED:
                return 0x3;
            case UNINTERESTED:
                return 0x4;
            case PREFIX_OVERLAP:
                return 0x5;
            case MALFORMED_AUTH_TOKEN:
                return 0x10;
            case EXPIRED_AUTH_TOKEN:
                return 0x12;
            default:
                return 0x0;
        }
    }

    /** PUBLISH_ERROR code: its table has no token codes, so UNAUTHORIZED stands in for them (docs/auth.md). */
    static long publishError(final RequestErrorCode code)
    {
        return code == RequestErrorCode.MALFORMED_AUTH_TOKEN || code == RequestErrorCode.EXPIRED_AUTH_TOKEN ? 0x1
            : namespaceError(code);
    }

    /** A received SUBSCRIBE_ERROR code as the engine's. */
    static RequestErrorCode fromSubscribeError(final long code)
    {
        if (code == 0x4)
        {
            return RequestErrorCode.DOES_NOT_EXIST;
        }
        if (code == 0x5)
        {
            return RequestErrorCode.INVALID_RANGE;
        }
        return code <= 0x3 ? Codes.requestError(code) : RequestErrorCode.INTERNAL_ERROR;
    }

    static long publishDone(final PublishDoneStatus status)
    {
        switch (status)
        {
            case UNAUTHORIZED:
                return 0x1;
            case TRACK_ENDED:
                return 0x2;
            case SUBSCRIPTION_ENDED:
                return 0x3;
            case GOING_AWAY:
                return 0x4;
            case EXPIRED:
                return 0x5;
            case TOO_FAR_BEHIND:
                return 0x6;
            case MALFORMED_TRACK:
                return 0x7;
            default:
                return 0x0;
        }
    }

    static PublishDoneStatus fromPublishDone(final long code)
    {
        for (final PublishDoneStatus s : PublishDoneStatus.values())
        {
            if (s != PublishDoneStatus.INTERNAL_ERROR && publishDone(s) == code)
            {
                return s;
            }
        }
        return PublishDoneStatus.INTERNAL_ERROR;
    }
}
