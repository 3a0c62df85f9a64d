package moq.relay.bench.load;

/**
 * The relay's counts of its deliberate skips (its admin endpoint's {@code moq_relay_subscribers_too_far_behind} and
 * {@code moq_relay_subgroups_skipped}, or the in-process relay's egress counters): read before the first object and
 * after the drain, their difference is what the run's skips can be checked against.
 *
 * @param tooFarBehind     subscriptions reset as too far behind and moved on to a later group
 * @param subgroupsSkipped subgroup (moq-lite: group) streams given up while waiting for the subscriber's stream credit
 */
record RelaySkipCounters(long tooFarBehind, long subgroupsSkipped)
{
    RelaySkipCounters minus(final RelaySkipCounters earlier)
    {
        return new RelaySkipCounters(tooFarBehind - earlier.tooFarBehind, subgroupsSkipped - earlier.subgroupsSkipped);
    }
}
