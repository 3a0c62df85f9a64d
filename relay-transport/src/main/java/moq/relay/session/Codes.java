package moq.relay.session;

import moq.relay.engine.GroupOrder;
import moq.relay.fanout.PublishDoneStatus;
import moq.relay.engine.RequestErrorCode;
import moq.relay.engine.SubscriptionFilter;
import moq.relay.wire.Location;

/** Wire code points to and from the engine's draft-18 enums (shared by both drafts where they agree). */
final class Codes
{
    private Codes()
    {
    }

    /** A received REQUEST_ERROR code; codes the engine does not know become INTERNAL_ERROR. */
    static RequestErrorCode requestError(final long code)
    {
        for (final RequestErrorCode c : RequestErrorCode.values())
        {
            if (c.code() == code)
            {
                return c;
            }
        }
        return RequestErrorCode.INTERNAL_ERROR;
    }

    /** A received PUBLISH_DONE status; unknown ones become INTERNAL_ERROR. */
    static PublishDoneStatus publishDone(final long code)
    {
        for (final PublishDoneStatus c : PublishDoneStatus.values())
        {
            if (c.code() == code)
            {
                return c;
            }
        }
        return PublishDoneStatus.INTERNAL_ERROR;
    }

    static SubscriptionFilter filter(final moq.relay.wire.d18.SubscriptionFilter f)
    {
        if (f == null)
        {
            return SubscriptionFilter.NONE;
        }
        switch (f.type())
        {
            case NEXT_GROUP_START:
                return SubscriptionFilter.nextGroupStart();
            case LARGEST_OBJECT:
                return SubscriptionFilter.largestObject();
            case ABSOLUTE_START:
                return SubscriptionFilter.absoluteStart(f.start());
            default:
                return SubscriptionFilter.absoluteRange(f.start(), f.endGroup());
        }
    }

    static SubscriptionFilter filter(final moq.relay.wire.d14.SubscriptionFilter f)
    {
        switch (f.type())
        {
            case NEXT_GROUP_START:
                return SubscriptionFilter.nextGroupStart();
            case LARGEST_OBJECT:
                return SubscriptionFilter.largestObject();
            case ABSOLUTE_START:
                return SubscriptionFilter.absoluteStart(f.start());
            default:
                return SubscriptionFilter.absoluteRange(f.start(), f.endGroup());
        }
    }

    static GroupOrder groupOrder(final moq.relay.wire.d14.GroupOrder order)
    {
        return order == moq.relay.wire.d14.GroupOrder.ASCENDING ? GroupOrder.ASCENDING :
            order == moq.relay.wire.d14.GroupOrder.DESCENDING ? GroupOrder.DESCENDING : GroupOrder.PUBLISHER;
    }

    static GroupOrder groupOrder(final moq.relay.wire.param.GroupOrder order)
    {
        return order == null ? GroupOrder.PUBLISHER :
            order == moq.relay.wire.param.GroupOrder.ASCENDING ? GroupOrder.ASCENDING : GroupOrder.DESCENDING;
    }

    static Location orZero(final Location l)
    {
        return l == null ? Location.ZERO : l;
    }
}
