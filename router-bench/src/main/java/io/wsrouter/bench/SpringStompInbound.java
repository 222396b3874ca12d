package io.wsrouter.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.springframework.context.support.StaticApplicationContext;
import org.springframework.messaging.Message;
import org.springframework.messaging.simp.SimpAttributesContextHolder;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.messaging.simp.annotation.support.SimpAnnotationMethodMessageHandler;
import org.springframework.messaging.simp.stomp.StompDecoder;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.ExecutorSubscribableChannel;
import org.springframework.messaging.support.ImmutableMessageChannelInterceptor;
import org.springframework.messaging.support.MessageHeaderAccessor;

/**
 * W1 peer: Spring's STOMP inbound path without the servlet container, wired as
 * {@code @EnableWebSocketMessageBroker} wires it but on synchronous channels
 * ({@link ExecutorSubscribableChannel} without an executor, so the caller's thread does all the work,
 * as in the other peers). {@link #receive} does what {@code StompSubProtocolHandler.handleMessageFromClient}
 * does for a text frame: encode the text to bytes, decode STOMP with {@link StompDecoder}, set the
 * session id, session attributes and user, and send the message to the client inbound channel, where
 * {@link SimpAnnotationMethodMessageHandler} resolves the {@code @MessageMapping} method of
 * {@link ChatController}, converts the JSON body with Jackson and invokes it.
 *
 * <p>Left out, in Spring's favour: the broker handler that also listens on the inbound channel (it
 * ignores {@code /app} destinations after a prefix check), the sub-protocol session bookkeeping and
 * the application events.
 */
public final class SpringStompInbound implements AutoCloseable {

    private final StaticApplicationContext context = new StaticApplicationContext();
    private final ExecutorSubscribableChannel clientInbound = new ExecutorSubscribableChannel();
    private final ExecutorSubscribableChannel clientOutbound = new ExecutorSubscribableChannel();
    private final ExecutorSubscribableChannel brokerChannel = new ExecutorSubscribableChannel();
    private final SimpAnnotationMethodMessageHandler handler;
    private final StompDecoder decoder = new StompDecoder();
    private final LongAdder outbound = new LongAdder();
    private final ContentSink sink;

    /** Builds the application context with the controller and starts the annotation handler. */
    public SpringStompInbound(ContentSink sink) {
        this.sink = sink;
        context.registerBean(ChatController.class, () -> new ChatController(sink));
        context.refresh();
        clientInbound.addInterceptor(new ImmutableMessageChannelInterceptor());
        clientOutbound.subscribe(message -> outbound.increment());
        SimpMessagingTemplate brokerTemplate = new SimpMessagingTemplate(brokerChannel);
        brokerTemplate.setMessageConverter(SpringConverters.brokerMessageConverter());
        handler = new SimpAnnotationMethodMessageHandler(clientInbound, clientOutbound, brokerTemplate);
        handler.setDestinationPrefixes(List.of("/app"));
        handler.setMessageConverter(SpringConverters.brokerMessageConverter());
        handler.setApplicationContext(context);
        handler.afterPropertiesSet();
        handler.start();
    }

    /** One WebSocket session as the sub-protocol handler keeps it. */
    public static final class Session {
        final String id;
        final Principal user;
        final Map<String, Object> attributes = new ConcurrentHashMap<>();

        /** @param id the session id; @param userName the authenticated user */
        public Session(String id, String userName) {
            this.id = id;
            this.user = new UserPrincipal(userName);
        }
    }

    /**
     * Handles one text frame of a session, as {@code StompSubProtocolHandler} does.
     *
     * @return whether the inbound channel accepted the message
     */
    public boolean receive(Session session, String textFrame) {
        ByteBuffer buffer = ByteBuffer.wrap(textFrame.getBytes(StandardCharsets.UTF_8));
        List<Message<byte[]>> messages = decoder.decode(buffer);
        boolean sent = false;
        for (Message<byte[]> message : messages) {
            StompHeaderAccessor accessor = MessageHeaderAccessor.getAccessor(message, StompHeaderAccessor.class);
            if (accessor == null) {
                throw new IllegalStateException("no STOMP header accessor");
            }
            accessor.setSessionId(session.id);
            accessor.setSessionAttributes(session.attributes);
            accessor.setUser(session.user);
            accessor.setHeader(SimpMessageHeaderAccessor.HEART_BEAT_HEADER, accessor.getHeartbeat());
            try {
                SimpAttributesContextHolder.setAttributesFromMessage(message);
                sent = clientInbound.send(message);
            } finally {
                SimpAttributesContextHolder.resetAttributes();
            }
        }
        return sent;
    }

    /** @return the sink the controller feeds */
    public ContentSink sink() {
        return sink;
    }

    /** @return messages the handler sent to clients (none expected: the methods return nothing) */
    public long outboundMessages() {
        return outbound.sum();
    }

    @Override
    public void close() {
        handler.stop();
        context.close();
    }
}
