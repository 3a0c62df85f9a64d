package moq.relay.session;

import java.util.OptionalInt;
import moq.relay.engine.GroupOrder;
import moq.relay.session.request.Fill;
import moq.relay.session.request.RangeFilterUpdate;
import moq.relay.wire.Location;
import moq.relay.wire.d20.LocationFilter;
import moq.relay.wire.d20.MessageParameters;
import moq.relay.wire.d20.Subscribe;

/**
 * A draft-20 SUBSCRIBE's FILL_PARAMETERS as the relay's {@link Fill} (draft-21 §3.4, §9.20.16). The fill range is the
 * LOCATION_FILTER inside FILL_PARAMETERS, else the subscription's, evaluated as a Fetch's: relative starts from the
 * Largest Object, an open or later end clipped to it, a zero-length filter (or none at all) the whole track up to it.
 * SUBSCRIBER_PRIORITY and GROUP_ORDER inside override the subscription's; FILL_TIMEOUT 0 keeps the fill to the
 * cache, any other waits for the publisher's answer (docs/architecture.md "Decisions").
 */
final class Draft20Fill
{
    private Draft20Fill()
    {
    }

    /**
     * The fill {@code s} asks for; when it carries no FILL_PARAMETERS, one not {@link Fill#requested} that keeps the
     * subscription's defaults (its Location filter, priority and group order) for a REQUEST_UPDATE's fill.
     */
    static Fill of(final Subscribe s, final RangeFilterUpdate filters)
    {
        final MessageParameters p = s.fill().orElse(MessageParameters.EMPTY);
        final LocationFilter filter = p.locationFilter().orElse(s.filter());
        final OptionalInt priority = p.subscriberPriority();
        final moq.relay.wire.param.GroupOrder order = p.groupOrder().orElse(s.groupOrder().orElse(null));
        return new Fill(largest -> range(filter, largest),
            priority.isPresent() ? priority.getAsInt() : s.subscriberPriority(), order(order),
            p.fillTimeout().orElse(-1), filters, s.fill().isPresent());
    }

    /**
     * A REQUEST_UPDATE's FILL_PARAMETERS {@code p} (draft-21 §9.5.1): what it omits is the subscription's when the
     * update is processed ({@link Fill#over}).
     */
    static Fill ofUpdate(final MessageParameters p, final long maxFilterRanges)
    {
        final LocationFilter filter = p.locationFilter().orElse(null);
        final OptionalInt priority = p.subscriberPriority();
        return new Fill(filter == null ? null : largest -> range(filter, largest),
            priority.isPresent() ? priority.getAsInt() : -1, p.groupOrder().map(Draft20Fill::order).orElse(null),
            p.fillTimeout().orElse(-1), Draft20RangeFilters.update(p, maxFilterRanges), true);
    }

    private static GroupOrder order(final moq.relay.wire.param.GroupOrder order)
    {
        return order == moq.relay.wire.param.GroupOrder.DESCENDING ? GroupOrder.DESCENDING : GroupOrder.ASCENDING;
    }

    /**
     * {@code filter}'s first and last Location up to {@code largest}, the last object {@code 2^64-1} meaning its whole
     * group; null when empty (nothing published, a start after the Largest Object, an end before the start).
     */
    static Location[] range(final LocationFilter filter, final Location largest)
    {
        if (largest == null)
        {
            return null;
        }
        final Location start = filter.start(largest);
        Location last = largest;
        if (filter.kind() == LocationFilter.Kind.ABSOLUTE && filter.hasEnd())
        {
            final Location end = new Location(filter.endGroup(), filter.hasEndObject() ? filter.endObject() : -1);
            if (end.compareTo(largest) < 0)
            {
                last = end;
            }
        }
        return start.compareTo(last) > 0 ? null : new Location[] {start, last};
    }
}
