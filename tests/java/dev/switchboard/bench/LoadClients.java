package dev.switchboard.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.concurrent.EventExecutor;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/**
 * The load generator's WebSocket clients: Netty on epoll, {@code threads} event loops for the members and, once a
 * publisher is opened, one more for publishers. Measured here, it spends about a quarter of the CPU per received frame
 * that the JDK's {@code java.net.http} client does, so the generator takes less of the two cores it shares with the
 * server (its share is reported with every figure). A publisher has a loop of its own so that its writes never wait
 * behind a thousand members' reads: with the publisher on the members' one loop, joined frames at room 1,000 measured
 * 276,661-310,445 messages/s with a quarter of a core left idle; with its own, 477,692-610,086 (both at da69719's
 * parent and da69719, this machine).
 */
final class LoadClients implements AutoCloseable {

    /** What a client does with the room frames it receives (called on its event-loop thread, one at a time). */
    interface Receiver {
        void frame(ByteBuf text);

        /** Called once, on the event-loop thread, before any frame: the subprotocol the server chose, or null. */
        default void opened(String subprotocol) {
        }
    }

    /** An open client connection. */
    static final class Client {
        final Channel channel;
        /** The subprotocol the server chose (Sec-WebSocket-Protocol of its answer), or null. */
        final String subprotocol;

        Client(Channel channel, String subprotocol) {
            this.channel = channel;
            this.subprotocol = subprotocol;
        }

        /** @return this client's local TCP port: how the server's side of its socket is found in /proc/net/tcp */
        int localPort() {
            return ((java.net.InetSocketAddress) channel.localAddress()).getPort();
        }

        ChannelFuture send(String text) {
            return channel.writeAndFlush(new TextWebSocketFrame(text));
        }

        /** Closes the TCP connection without a close handshake, as a vanished browser does. */
        ChannelFuture abort() {
            return channel.close();
        }
    }

    /** Lets reads through until {@code stop}; then the socket is never read again. */
    private static final class NoReads extends ChannelOutboundHandlerAdapter {
        volatile boolean stop;

        @Override
        public void read(ChannelHandlerContext ctx) {
            if (!stop) {
                ctx.read();
            }
        }
    }

    private final LongAdder retried = new LongAdder();
    private final boolean epoll = Epoll.isAvailable();
    private final EventLoopGroup group;
    private final long[] loopThreads; // the members' event loops, for their CPU time
    private EventLoopGroup publishers; // on the first openPublisher
    private final Bootstrap bootstrap;

    LoadClients(int threads) {
        // Sampling for leaks fills a stack trace for one buffer in 128: 2-3% of the members' loop, measured with perf.
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        group = new MultiThreadIoEventLoopGroup(threads, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        loopThreads = new long[threads];
        int i = 0;
        for (EventExecutor loop : group) {
            loopThreads[i++] = loop.submit(() -> Thread.currentThread().getId()).syncUninterruptibly().getNow();
        }
        Class<? extends SocketChannel> type = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        bootstrap = new Bootstrap().group(group).channel(type).option(ChannelOption.TCP_NODELAY, true);
    }

    /** @return the CPU time the members' event loops have used so far, in nanoseconds */
    long memberLoopCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (long id : loopThreads) {
            sum += Math.max(0, threads.getThreadCpuTime(id));
        }
        return sum;
    }

    /**
     * Opens a WebSocket to {@code ws://localhost:9080 + path}.
     *
     * @param reading false for a client that never reads after the handshake, with a small receive buffer so that
     *     the server's writes to it stall soon
     */
    CompletableFuture<Client> open(String path, boolean reading, Receiver receiver) {
        return open(path, reading, null, receiver);
    }

    /**
     * As {@link #open(String, boolean, Receiver)}, asking for {@code subprotocol} (null: none). Netty's handshaker
     * fails the handshake when it asked for a subprotocol and the server chose none.
     */
    CompletableFuture<Client> open(String path, boolean reading, String subprotocol, Receiver receiver) {
        CompletableFuture<Client> opened = new CompletableFuture<>();
        connect(bootstrap, path, reading, subprotocol, receiver, opened, 1);
        return opened;
    }

    /** As {@link #open(String, boolean, String, Receiver)}, a reading client on the publishers' event loop. */
    CompletableFuture<Client> openPublisher(String path, String subprotocol, Receiver receiver) {
        CompletableFuture<Client> opened = new CompletableFuture<>();
        EventLoopGroup loop;
        synchronized (this) {
            if (publishers == null) {
                publishers = new MultiThreadIoEventLoopGroup(1,
                        epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
            }
            loop = publishers;
        }
        connect(bootstrap.clone(loop), path, true, subprotocol, receiver, opened, 1);
        return opened;
    }

    /** How often a connection the server dropped before its handshake is tried again (it happens under churn). */
    private static final int ATTEMPTS = 5;

    private void connect(Bootstrap base, String path, boolean reading, String subprotocol, Receiver receiver,
            CompletableFuture<Client> opened, int attempt) {
        URI uri = URI.create(path.startsWith("ws://") ? path : "ws://localhost:9080" + path); // or another server
        Bootstrap b = reading ? base.clone() : base.clone().option(ChannelOption.SO_RCVBUF, 4096);
        b.handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                // A client that never reads must refuse every read request: with autoRead off, Netty's frame decoder
                // still asks for more after a partial frame, and the client would go on reading, slowly.
                ch.pipeline().addLast(reading ? new ChannelOutboundHandlerAdapter() : new NoReads());
                // No UTF-8 check of text frames: Netty's validator, a byte at a time, took 31% of the members' loop
                // (perf, room 1,000), a cost that bounds the generator and not the server. Members parse only ASCII
                // fields they check themselves; the integration tests check what the server sends.
                ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(65536),
                        new WebSocketClientProtocolHandler(WebSocketClientProtocolConfig.newBuilder().webSocketUri(uri)
                                .subprotocol(subprotocol).maxFramePayloadLength(1 << 22)
                                .withUTF8Validator(false).build()),
                        new SimpleChannelInboundHandler<TextWebSocketFrame>() {
                            @Override
                            public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
                                if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                                    if (!reading) {
                                        ctx.channel().config().setAutoRead(false);
                                        ctx.pipeline().get(NoReads.class).stop = true;
                                    }
                                    String chosen = ctx.pipeline().get(WebSocketClientProtocolHandler.class)
                                            .handshaker().actualSubprotocol();
                                    receiver.opened(chosen == null || chosen.isEmpty() ? null : chosen);
                                    opened.complete(new Client(ctx.channel(), chosen));
                                }
                                super.userEventTriggered(ctx, event);
                            }

                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
                                receiver.frame(frame.content());
                            }

                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                opened.completeExceptionally(cause);
                                ctx.close();
                            }

                            @Override
                            public void channelInactive(ChannelHandlerContext ctx) throws Exception {
                                if (!opened.isDone()) {
                                    retried.increment();
                                    if (attempt < ATTEMPTS) {
                                        connect(base, path, reading, subprotocol, receiver, opened, attempt + 1);
                                    } else {
                                        opened.completeExceptionally(new IllegalStateException(path
                                                + " closed before it opened, " + ATTEMPTS + " times"));
                                    }
                                }
                                super.channelInactive(ctx);
                            }
                        });
            }
        });
        b.connect(uri.getHost(), uri.getPort()).addListener(f -> {
            if (!f.isSuccess()) {
                opened.completeExceptionally(f.cause());
            }
        });
    }

    /** @return connections the server dropped before the handshake and that were opened again */
    long retried() {
        return retried.sum();
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        synchronized (this) {
            if (publishers != null) {
                publishers.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
            }
        }
    }
}
