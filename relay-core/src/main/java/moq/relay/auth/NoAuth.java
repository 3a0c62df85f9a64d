package moq.relay.auth;

import java.util.List;

/** Authorization off (the default): every session opens and every request is allowed, forever. */
public final class NoAuth implements Authorizer, Authorizer.SessionAuthorization
{
    public static final NoAuth INSTANCE = new NoAuth();

    private NoAuth()
    {
    }

    @Override
    public SessionAuthorization openSession(final SessionCredentials credentials)
    {
        return this;
    }

    @Override
    public Grant sessionGrant()
    {
        return Grant.ALL;
    }

    @Override
    public Grant authorize(final AuthRequest request, final List<Credential> tokens)
    {
        return Grant.ALL;
    }
}
