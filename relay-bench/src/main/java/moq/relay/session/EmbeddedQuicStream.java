package moq.relay.session;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamAddress;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamChannelConfig;
import io.netty.handler.codec.quic.QuicStreamPriority;
import io.netty.handler.codec.quic.QuicStreamType;

/**
 * A QUIC stream below the transport, for in-process benchmarks of the session layer: an {@link EmbeddedChannel} whose
 * writes land in its outbound queue, where the benchmark takes and releases them as quiche would after sending. Only
 * what the relay's stream writers use is meaningful (writes, flush, writability, close); stream ids are made up.
 */
public final class EmbeddedQuicStream extends EmbeddedChannel implements QuicStreamChannel
{
    private final long streamId;
    private Config streamConfig;
    private boolean outputShutdown;

    public EmbeddedQuicStream(final long streamId)
    {
        this.streamId = streamId;
    }

    @Override
    public QuicStreamChannelConfig config()
    {
        if (streamConfig == null)
        {
            streamConfig = new Config(this); // EmbeddedChannel's constructor asks before this object's fields are set
        }
        return streamConfig;
    }

    @Override
    public QuicStreamChannel flush()
    {
        super.flush();
        return this;
    }

    @Override
    public QuicStreamChannel read()
    {
        super.read();
        return this;
    }

    @Override
    public QuicChannel parent()
    {
        return null;
    }

    @Override
    public QuicStreamAddress localAddress()
    {
        return null;
    }

    @Override
    public QuicStreamAddress remoteAddress()
    {
        return null;
    }

    @Override
    public boolean isLocalCreated()
    {
        return true;
    }

    @Override
    public QuicStreamType type()
    {
        return QuicStreamType.UNIDIRECTIONAL;
    }

    @Override
    public long streamId()
    {
        return streamId;
    }

    @Override
    public QuicStreamPriority priority()
    {
        return null;
    }

    @Override
    public ChannelFuture updatePriority(final QuicStreamPriority priority, final ChannelPromise promise)
    {
        return promise.setSuccess();
    }

    @Override
    public ChannelFuture shutdown(final int error, final ChannelPromise promise)
    {
        outputShutdown = true;
        return promise.setSuccess();
    }

    @Override
    public ChannelFuture shutdownInput(final int error, final ChannelPromise promise)
    {
        return promise.setSuccess();
    }

    @Override
    public ChannelFuture shutdownOutput(final int error, final ChannelPromise promise)
    {
        outputShutdown = true;
        return promise.setSuccess();
    }

    @Override
    public boolean isInputShutdown()
    {
        return false;
    }

    @Override
    public ChannelFuture shutdownInput(final ChannelPromise promise)
    {
        return promise.setSuccess();
    }

    @Override
    public boolean isOutputShutdown()
    {
        return outputShutdown;
    }

    @Override
    public ChannelFuture shutdownOutput(final ChannelPromise promise)
    {
        outputShutdown = true;
        return promise.setSuccess();
    }

    @Override
    public boolean isShutdown()
    {
        return outputShutdown;
    }

    @Override
    public ChannelFuture shutdown(final ChannelPromise promise)
    {
        outputShutdown = true;
        return promise.setSuccess();
    }

    /** The embedded channel's config with the QUIC stream setters (covariant returns) on top. */
    private static final class Config extends DefaultChannelConfig implements QuicStreamChannelConfig
    {
        private boolean readFrames;
        private boolean allowHalfClosure;

        Config(final EmbeddedQuicStream channel)
        {
            super(channel);
        }

        @Override
        public QuicStreamChannelConfig setReadFrames(final boolean readFrames)
        {
            this.readFrames = readFrames;
            return this;
        }

        @Override
        public boolean isReadFrames()
        {
            return readFrames;
        }

        @Override
        public boolean isAllowHalfClosure()
        {
            return allowHalfClosure;
        }

        @Override
        public QuicStreamChannelConfig setAllowHalfClosure(final boolean allowHalfClosure)
        {
            this.allowHalfClosure = allowHalfClosure;
            return this;
        }

        @Override
        public QuicStreamChannelConfig setMaxMessagesPerRead(final int n)
        {
            super.setMaxMessagesPerRead(n);
            return this;
        }

        @Override
        public QuicStreamChannelConfig setWriteSpinCount(final int n)
        {
            super.setWriteSpinCount(n);
            return this;
        }

        @Override
        public QuicStreamChannelConfig setAllocator(final io.netty.buffer.ByteBufAllocator allocator)
        {
            super.setAllocator(allocator);
            return this;
        }

        @Override
        public QuicStreamChannelConfig setRecvByteBufAllocator(final io.netty.channel.RecvByteBufAllocator allocator)
        {
            super.setRecvByteBufAllocator(allocator);
            return this;
        }

        @Override
        public QuicStreamChannelConfig setAutoRead(final boolean autoRead)
        {
            super.setAutoRead(autoRead);
            return this;
        }

        @Override
        public QuicStreamChannelConfig setAutoClose(final boolean autoClose)
        {
            super.setAutoClose(autoClose);
            return this;
        }

        @Override
        public QuicStreamChannelConfig setMessageSizeEstimator(final io.netty.channel.MessageSizeEstimator estimator)
        {
            super.setMessageSizeEstimator(estimator);
            return this;
        }

        @Override
        public QuicStreamChannelConfig setWriteBufferWaterMark(final io.netty.channel.WriteBufferWaterMark mark)
        {
            super.setWriteBufferWaterMark(mark);
            return this;
        }

        @Override
        public QuicStreamChannelConfig setConnectTimeoutMillis(final int millis)
        {
            super.setConnectTimeoutMillis(millis);
            return this;
        }

        @Override
        public QuicStreamChannelConfig setWriteBufferHighWaterMark(final int bytes)
        {
            super.setWriteBufferHighWaterMark(bytes);
            return this;
        }

        @Override
        public QuicStreamChannelConfig setWriteBufferLowWaterMark(final int bytes)
        {
            super.setWriteBufferLowWaterMark(bytes);
            return this;
        }
    }
}
