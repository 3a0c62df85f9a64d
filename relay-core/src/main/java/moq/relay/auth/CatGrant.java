package moq.relay.auth;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

import moq.relay.wire.Bytes;
import moq.relay.wire.TrackNamespace;

/**
 * The grant of a Common Access Token's {@code moqt} claim (draft-ietf-moq-c4m-01 §2.1): a list of scopes, each a set
 * of actions, optional namespace field matches and an optional track name match; a request is allowed when any scope
 * allows it. No {@code moqt} claim means no scope: "all actions are explicitly blocked unless explicitly enabled".
 *
 * <p>Matching is bytewise: the i-th namespace match applies to the i-th namespace field; a trailing nil match
 * requires the namespace to end there, otherwise longer namespaces match too; no namespace matches (a one-element
 * scope) matches every namespace; no track match (one- or two-element scope) matches every track. For discovery
 * (SUBSCRIBE_NAMESPACE, {@link #reveals}) and CLIENT_SETUP the track match is not applied; CLIENT_SETUP needs only
 * the action.
 */
public final class CatGrant implements Grant
{
    /** How a match compares bytes: exact (a bare byte string), prefix (1) or suffix (2). */
    public enum MatchType
    {
        EXACT, PREFIX, SUFFIX
    }

    /** One match object; {@link #NIL} ends a namespace match list. */
    public record Match(MatchType type, byte[] value)
    {
        public static final Match NIL = new Match(MatchType.EXACT, null);

        boolean matches(final Bytes field)
        {
            final byte[] f = field.array();
            final int n = field.length();
            switch (type)
            {
                case EXACT:
                    return n == value.length && Arrays.equals(f, 0, n, value, 0, value.length);
                case PREFIX:
                    return n >= value.length && Arrays.equals(f, 0, value.length, value, 0, value.length);
                default:
                    return n >= value.length && Arrays.equals(f, n - value.length, n, value, 0, value.length);
            }
        }
    }

    /** One {@code moqt-scope}: {@code namespace} null means any namespace, {@code track} null any track. */
    public record Scope(Set<Integer> actions, List<Match> namespace, Match track)
    {
    }

    private final List<Scope> scopes;
    private final long expiresAtMillis;

    public CatGrant(final List<Scope> scopes, final long expiresAtMillis)
    {
        this.scopes = List.copyOf(scopes);
        this.expiresAtMillis = expiresAtMillis;
    }

    public List<Scope> scopes()
    {
        return scopes;
    }

    @Override
    public boolean permits(final Action action, final TrackNamespace namespace, final Bytes track)
    {
        for (final Scope scope : scopes)
        {
            if (!scope.actions.contains(action.catKey()))
            {
                continue;
            }
            if (action == Action.CLIENT_SETUP)
            {
                return true;
            }
            if (scope.namespace != null && !namespaceMatches(scope.namespace, namespace))
            {
                continue;
            }
            if (scope.track != null && track != null && action != Action.SUBSCRIBE_NAMESPACE &&
                !scope.track.matches(track))
            {
                continue;
            }
            return true;
        }
        return false;
    }

    private static boolean namespaceMatches(final List<Match> matches, final TrackNamespace namespace)
    {
        final List<Bytes> fields = namespace.fields();
        for (int i = 0; i < matches.size(); i++)
        {
            final Match m = matches.get(i);
            if (m == Match.NIL)
            {
                return fields.size() == i;
            }
            if (i >= fields.size() || !m.matches(fields.get(i)))
            {
                return false;
            }
        }
        return true;
    }

    @Override
    public long expiresAtMillis()
    {
        return expiresAtMillis;
    }

    @Override
    public String toString()
    {
        return "CatGrant{scopes=" + scopes.size() + ", expiresAt=" + expiresAtMillis + "}";
    }
}
