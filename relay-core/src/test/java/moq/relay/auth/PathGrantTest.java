package moq.relay.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import moq.relay.wire.TrackNamespace;
import org.junit.jupiter.api.Test;

/** moq-dev's path semantics and claim reduction ({@code moq_net::Path}, {@code Auth::finalize}), case by case. */
class PathGrantTest
{
    @Test
    void pathsMatchOnSegmentBoundaries()
    {
        assertThat(AuthPath.hasPrefix("foo/bar", "foo")).isTrue();
        assertThat(AuthPath.hasPrefix("foo", "foo")).isTrue();
        assertThat(AuthPath.hasPrefix("foobar", "foo")).isFalse();
        assertThat(AuthPath.hasPrefix("anything", "")).isTrue();
        assertThat(AuthPath.normalize("/a//b/")).isEqualTo("a/b");
        assertThat(AuthPath.join("room/123", "alice")).isEqualTo("room/123/alice");
        assertThat(AuthPath.join("room/123", "")).isEqualTo("room/123");
        assertThat(AuthPath.join("", "/alice/")).isEqualTo("alice");
        assertThat(AuthPath.of(TrackNamespace.of("room", "123", "alice"))).isEqualTo("room/123/alice");
    }

    @Test
    void claimsAreJoinedToTheRoot() throws AuthException
    {
        final PathGrant g = PathGrant.fromClaims("/room/123", "room/123", List.of("alice"), List.of(""), 0);
        assertThat(g.put()).containsExactly("room/123/alice");
        assertThat(g.get()).containsExactly("room/123");
        assertThat(g.permits(Action.PUBLISH_NAMESPACE, TrackNamespace.of("room", "123", "alice"), null)).isTrue();
        assertThat(g.permits(Action.PUBLISH_NAMESPACE, TrackNamespace.of("room", "123", "alice", "cam"), null))
            .isTrue();
        assertThat(g.permits(Action.PUBLISH_NAMESPACE, TrackNamespace.of("room", "123", "alicex"), null)).isFalse();
        assertThat(g.permits(Action.SUBSCRIBE, TrackNamespace.of("room", "123", "bob"), null)).isTrue();
        assertThat(g.permits(Action.SUBSCRIBE, TrackNamespace.of("room", "1234"), null)).isFalse();
    }

    @Test
    void aConnectionBelowTheRootNarrowsTheGrant() throws AuthException
    {
        // moq-dev test_claims_reduction_nested_paths / _loses_access, in absolute terms.
        final PathGrant users = PathGrant.fromClaims("/room/123/users", "room/123",
            List.of("users/alice/camera"), List.of("users/bob/screen"), 0);
        assertThat(users.put()).containsExactly("room/123/users/alice/camera");
        assertThat(users.get()).containsExactly("room/123/users/bob/screen");

        final PathGrant alice = PathGrant.fromClaims("/room/123/users/alice", "room/123",
            List.of("users/alice/camera"), List.of("users/bob/screen"), 0);
        assertThat(alice.put()).containsExactly("room/123/users/alice/camera");
        assertThat(alice.get()).isEmpty();

        final PathGrant all = PathGrant.fromClaims("/room/123/alice", "room/123", List.of(""), List.of(""), 0);
        assertThat(all.put()).containsExactly("room/123/alice");
        assertThat(all.permits(Action.PUBLISH, TrackNamespace.of("room", "123", "bob"), null)).isFalse();
    }

    @Test
    void aConnectionAboveTheRootKeepsTheRootedGrant() throws AuthException
    {
        final PathGrant g = PathGrant.fromClaims("/", "demo", List.of(), List.of(""), 0);
        assertThat(g.get()).containsExactly("demo");
        assertThat(g.put()).isEmpty();
    }

    @Test
    void wrongRootOrNothingLeftIsUnauthorized()
    {
        assertThatThrownBy(() -> PathGrant.fromClaims("/secret", "room/123", List.of(""), List.of(""), 0))
            .isInstanceOfSatisfying(AuthException.class,
                e -> assertThat(e.failure()).isEqualTo(AuthFailure.UNAUTHORIZED));
        assertThatThrownBy(() -> PathGrant.fromClaims("/room/123/carol", "room/123", List.of("alice"),
            List.of("bob"), 0))
            .isInstanceOfSatisfying(AuthException.class,
                e -> assertThat(e.failure()).isEqualTo(AuthFailure.UNAUTHORIZED));
        assertThatThrownBy(() -> PathGrant.fromClaims("", "room", List.of(), List.of(), 0))
            .isInstanceOf(AuthException.class);
    }

    @Test
    void discoveryNeedsAnOverlappingGetAndRevealsOnlyWhatGetCovers() throws AuthException
    {
        final PathGrant g = PathGrant.fromClaims("", "room/123", List.of(), List.of("bob"), 0);
        // A broader prefix may be asked for, as moq-dev filters announcements rather than refusing...
        assertThat(g.permits(Action.SUBSCRIBE_NAMESPACE, TrackNamespace.of("room"), null)).isTrue();
        assertThat(g.permits(Action.SUBSCRIBE_NAMESPACE, TrackNamespace.of("room", "123", "bob", "x"), null))
            .isTrue();
        assertThat(g.permits(Action.SUBSCRIBE_NAMESPACE, TrackNamespace.of("room", "999"), null)).isFalse();
        // ...but only what get covers is revealed.
        assertThat(g.reveals(TrackNamespace.of("room", "123", "bob"))).isTrue();
        assertThat(g.reveals(TrackNamespace.of("room", "123", "alice"))).isFalse();
    }
}
