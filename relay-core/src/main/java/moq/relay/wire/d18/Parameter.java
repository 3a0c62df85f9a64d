package moq.relay.wire.d18;

import moq.relay.wire.WireWriter;
import moq.relay.wire.param.ParameterType;

/**
 * Draft-18's Message Parameters (§"Message Parameters"): the records drafts 18 and 20 share ({@link
 * moq.relay.wire.param.Parameter}, inherited, so {@code Parameter.Forward} names the shared one) and the one only
 * draft-18 has, its Subscription Filter.
 */
public interface Parameter extends moq.relay.wire.param.Parameter
{
    /** SUBSCRIPTION_FILTER (0x21): a length-prefixed Subscription Filter. */
    record Filter(SubscriptionFilter filter) implements Parameter
    {
        public Filter
        {
            if (filter == null)
            {
                throw new IllegalArgumentException("filter required");
            }
        }

        @Override
        public ParameterType type()
        {
            return ParameterType.SUBSCRIPTION_FILTER;
        }

        @Override
        public void writeValue(final WireWriter writer)
        {
            moq.relay.wire.param.Parameter.writeLengthPrefixed(writer, filter::write);
        }
    }
}
