package moq.relay.session;

import java.util.List;
import moq.relay.engine.FetchRequest;
import moq.relay.engine.FullTrackName;
import moq.relay.engine.RequestErrorCode;
import moq.relay.engine.RequestKind;
import moq.relay.engine.SubscribeOptions;
import moq.relay.fanout.PublishDoneStatus;
import moq.relay.session.request.DownstreamFetch;
import moq.relay.session.request.SessionAuth;
import moq.relay.wire.Bytes;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.Draft;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.Location;
import moq.relay.wire.WireException;
import moq.relay.wire.d18.Draft18ControlCodec;
import moq.relay.wire.d18.Fetch;
import moq.relay.wire.d18.FetchOk;
import moq.relay.wire.d18.Goaway;
import moq.relay.wire.d18.MessageParameters;
import moq.relay.wire.d18.ParameterContext;
import moq.relay.wire.param.Properties;
import moq.relay.wire.d18.RequestOk;
import moq.relay.wire.d18.Subscribe;
import moq.relay.wire.d18.SubscriptionFilter;
import moq.relay.wire.param.Messages;
import moq.relay.wire.param.Parameter;
import moq.relay.wire.param.ParameterBlock;
import moq.relay.wire.param.SetupOptions;

/**
 * Draft 18 ({@code moqt-18}) as a {@link RequestStreamDialect}: {@code moq.relay.wire.d18}'s records. Its own: the
 * tagged Subscription Filter, standalone and joining FETCH, GOAWAY with a request id, PUBLISH_OK stating the
 * subscription, and a REQUEST_UPDATE's omitted parameters read as their defaults.
 */
final class Draft18Dialect extends AbstractRequestStreamDialect
{
    static final Draft18Dialect INSTANCE = new Draft18Dialect();

    private Draft18Dialect()
    {
        super(Draft.DRAFT_18, Draft18ControlCodec.INSTANCE, Draft18ControlCodec.RECORDS, PeerQuirks::draft18);
    }

    @Override
    long maxRequestUpdates(final SetupOptions setup)
    {
        return Long.MAX_VALUE;
    }

    @Override
    public ControlMessage goaway(final String newSessionUri, final long smallestUnused)
    {
        return Goaway.onControlStream(Bytes.utf8(newSessionUri), 0, smallestUnused);
    }

    @Override
    RequestMessage subscribe(final Messages.Subscribe s, final PeerQuirks quirks)
    {
        return subscribeWith(s, Codes.filter(((Subscribe)s).filter().orElse(null)), quirks);
    }

    @Override
    boolean publishForward(final Messages.Publish p)
    {
        return true;
    }

    @Override
    RequestMessage refusal(final RequestKind kind, final long requestId, final ParameterBlock parameters)
    {
        return null;
    }

    @Override
    RequestMessage.Update update(final Messages.RequestUpdate u)
    {
        return new RequestMessage.Update(u.parameters().forward().orElse(true),
            u.parameters().subscriberPriority().orElse(Subscribe.DEFAULT_SUBSCRIBER_PRIORITY), tokens(u), null,
            u.requestId(), null);
    }

    @Override
    RequestMessage readOwn(final ControlMessage m)
    {
        if (m instanceof FetchOk ok)
        {
            return new RequestMessage.FetchOk(ok.endOfTrack(), ok.endLocation(), ok.trackProperties().pairs());
        }
        if (m instanceof Fetch f)
        {
            return new RequestMessage.Fetch(f.requestId(), fetch(f), Codes.groupOrder(f.groupOrder()),
                SessionAuth.draft18(f.parameters().authorizationTokens()));
        }
        return null;
    }

    private static FetchRequest fetch(final Fetch f)
    {
        if (f.fetchType() == Fetch.Type.STANDALONE)
        {
            return DownstreamFetch.request(DownstreamFetch.Type.STANDALONE, new FullTrackName(
                f.standalone().namespace(), f.standalone().trackName()), f.standalone().start(), f.standalone().end(),
                0, 0);
        }
        final DownstreamFetch.Type type = f.fetchType() == Fetch.Type.RELATIVE_JOINING ?
            DownstreamFetch.Type.RELATIVE_JOINING : DownstreamFetch.Type.ABSOLUTE_JOINING;
        return DownstreamFetch.request(type, null, null, null, f.joining().joiningRequestId(),
            f.joining().joiningStart());
    }

    @Override
    public SubscribeOptions publishOk(final RequestMessage.Ok answer) throws WireException
    {
        final RequestOk ok = (RequestOk)answer.message();
        ok.validateAs(ParameterContext.PUBLISH_OK);
        return new SubscribeOptions(Codes.filter(ok.filter().orElse(null)), ok.forward(), ok.subscriberPriority(),
            Codes.groupOrder(ok.groupOrder().orElse(null)), true, 0);
    }

    @Override
    public ControlMessage publishAccepted(final boolean forward)
    {
        return new RequestOk(MessageParameters.of(new Parameter.Forward(forward)));
    }

    @Override
    Parameter nextObjectFilter()
    {
        return new moq.relay.wire.d18.Parameter.Filter(SubscriptionFilter.largestObject());
    }

    @Override
    long wireCode(final RequestErrorCode code)
    {
        return code.code();
    }

    @Override
    long wireCode(final PublishDoneStatus status)
    {
        return status.code();
    }

    @Override
    public ControlMessage fetchOk(final boolean endOfTrack, final Location end, final List<KeyValuePair> properties)
    {
        return new FetchOk(endOfTrack, end, Properties.of(properties));
    }

    @Override
    public ControlMessage fetch(final long requestId, final moq.relay.engine.UpstreamFetch fetch)
    {
        return moq.relay.wire.d18.Fetch.standalone(requestId, fetch.track().namespace(), fetch.track().name(),
            fetch.start(), fetch.end(), moq.relay.wire.d18.MessageParameters.of(
                new moq.relay.wire.d18.Parameter.SubscriberPriority(fetch.subscriberPriority())));
    }
}
