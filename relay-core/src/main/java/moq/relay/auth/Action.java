package moq.relay.auth;

/**
 * What a request asks to do, in the terms both token schemes decide on. The numbers are draft-ietf-moq-c4m's
 * action keys (§2.1, Table 1), so a Common Access Token's {@code moqt} scopes map onto them directly.
 *
 * <p>A moq-dev JWT grants by direction: {@link #isPublish() publishing} actions need a {@code put} prefix, the others
 * a {@code get} prefix.
 */
public enum Action
{
    /** Opening the session (the client's SETUP). */
    CLIENT_SETUP(0),
    /** PUBLISH_NAMESPACE (draft-14 also: ANNOUNCE). */
    PUBLISH_NAMESPACE(2),
    /** SUBSCRIBE_NAMESPACE and draft-18's SUBSCRIBE_TRACKS: discovery below a prefix. */
    SUBSCRIBE_NAMESPACE(3),
    SUBSCRIBE(4),
    /** REQUEST_UPDATE / SUBSCRIBE_UPDATE; the session asks for the action of the request it updates instead. */
    REQUEST_UPDATE(5),
    PUBLISH(6),
    FETCH(7),
    TRACK_STATUS(8);

    private final int catKey;

    Action(final int catKey)
    {
        this.catKey = catKey;
    }

    /** The action key in a CAT {@code moqt} scope. */
    public int catKey()
    {
        return catKey;
    }

    /** True for the actions a JWT's {@code put} grants (the holder sends media). */
    public boolean isPublish()
    {
        return this == PUBLISH_NAMESPACE || this == PUBLISH;
    }

    /** The action for a CAT action key, or null when the key is not one of ours (SERVER_SETUP, unknown). */
    public static Action ofCatKey(final long key)
    {
        for (final Action a : values())
        {
            if (a.catKey == key)
            {
                return a;
            }
        }
        return null;
    }
}
