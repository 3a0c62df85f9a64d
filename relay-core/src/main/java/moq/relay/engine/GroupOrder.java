package moq.relay.engine;

/** Group order of a subscription or fetch; PUBLISHER means the subscriber expressed none. */
public enum GroupOrder
{
    PUBLISHER,
    ASCENDING,
    DESCENDING
}
