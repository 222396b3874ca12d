package io.wsrouter.bench;

import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.springframework.messaging.Message;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.messaging.simp.broker.DefaultSubscriptionRegistry;
import org.springframework.messaging.simp.broker.SimpleBrokerMessageHandler;
import org.springframework.messaging.simp.user.DefaultUserDestinationResolver;
import org.springframework.messaging.simp.user.UserDestinationMessageHandler;
import org.springframework.messaging.support.ExecutorSubscribableChannel;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.web.socket.messaging.DefaultSimpUserRegistry;
import org.springframework.web.socket.messaging.SessionConnectedEvent;
import org.springframework.web.socket.messaging.SessionSubscribeEvent;

/**
 * W2/W3 peer: Spring's user destinations, wired as {@code @EnableWebSocketMessageBroker} with the simple
 * broker wires them, on synchronous channels. {@link #emitToUser} is
 * {@link SimpMessagingTemplate#convertAndSendToUser}: the payload is converted with Jackson, sent to
 * {@code /user/{user}/queue/events} on the broker channel, where {@link UserDestinationMessageHandler}
 * asks {@link DefaultUserDestinationResolver} (backed by {@link DefaultSimpUserRegistry}) for the user's
 * sessions and re-sends one message per session to {@code /queue/events-user{session}}, where
 * {@link SimpleBrokerMessageHandler} looks up the subscribers in its {@link DefaultSubscriptionRegistry}
 * and sends one message per subscription to the client outbound channel, whose handler counts them
 * (the STOMP encoding and the socket write are left out, as the other peers leave them out).
 *
 * <p>Sessions are set up as a STOMP client and Spring's sub-protocol handler set them up: a CONNECT
 * through the inbound channel (the broker records the session), a {@link SessionConnectedEvent} to the
 * registry, a SUBSCRIBE to {@code /user/queue/events} through the inbound channel (the user destination
 * handler translates it for the broker) and a {@link SessionSubscribeEvent} to the registry.
 */
public final class SpringUserMessaging {

    /** The broker's destination cache, as Spring configures it or raised to hold every destination. */
    public enum CacheMode { DEFAULT, RAISED }

    private static final String SUBSCRIPTION_ID = "sub-0";
    private static final String USER_DESTINATION = "/user" + Workloads.USER_QUEUE;

    private final ExecutorSubscribableChannel clientInbound = new ExecutorSubscribableChannel();
    private final ExecutorSubscribableChannel clientOutbound = new ExecutorSubscribableChannel();
    private final ExecutorSubscribableChannel brokerChannel = new ExecutorSubscribableChannel();
    private final DefaultSimpUserRegistry registry = new DefaultSimpUserRegistry();
    private final SimpleBrokerMessageHandler broker;
    private final UserDestinationMessageHandler userDestinations;
    private final SimpMessagingTemplate template;
    private final LongAdder delivered = new LongAdder();
    private final LongAdder deliveredBytes = new LongAdder();
    private final boolean withBroker;
    private final boolean raised;

    /**
     * @param cacheMode  the broker's destination cache
     * @param sessions   how many sessions will be registered (sizes a raised cache)
     * @param withBroker whether to run the broker and the user destination handler (false: the registry
     *                   alone, for the W3 registry-only figure)
     */
    public SpringUserMessaging(CacheMode cacheMode, int sessions, boolean withBroker) {
        this.withBroker = withBroker;
        this.raised = cacheMode == CacheMode.RAISED;
        clientOutbound.subscribe(message -> {
            if (SimpMessageHeaderAccessor.getMessageType(message.getHeaders()) == SimpMessageType.MESSAGE) {
                delivered.increment();
                deliveredBytes.add(((byte[]) message.getPayload()).length);
            }
        });
        broker = new SimpleBrokerMessageHandler(clientInbound, clientOutbound, brokerChannel, List.of("/queue/", "/topic/"));
        if (cacheMode == CacheMode.RAISED) {
            broker.setCacheLimit(Math.max(DefaultSubscriptionRegistry.DEFAULT_CACHE_LIMIT, 2 * sessions));
        }
        userDestinations = new UserDestinationMessageHandler(clientInbound, brokerChannel,
                new DefaultUserDestinationResolver(registry));
        template = new SimpMessagingTemplate(brokerChannel);
        template.setMessageConverter(SpringConverters.brokerMessageConverter());
        if (withBroker) {
            broker.start();
            userDestinations.start();
        }
    }

    /**
     * Connects and subscribes every connection of a population: all CONNECTs first, then (raised cache)
     * one lookup of every destination, then all SUBSCRIBEs.
     *
     * @param principals one principal per user (as the container's authentication makes them)
     * @param owners     the owning user's index for each session
     * @param sessionIds the WebSocket session ids
     */
    public void populate(Principal[] principals, int[] owners, String[] sessionIds) {
        Map<String, Object> attributes = new ConcurrentHashMap<>();
        for (int s = 0; s < sessionIds.length; s++) {
            connect(principals[owners[s]], sessionIds[s], attributes);
        }
        if (withBroker && raised) {
            // The steady state of a raised cache is every destination looked up once. A lookup costs a scan
            // of every subscription, so it is done while there are none yet; each SUBSCRIBE then updates
            // the cached entry of its destination, as it does in a running application.
            for (String sessionId : sessionIds) {
                SimpMessageHeaderAccessor lookup = SimpMessageHeaderAccessor.create(SimpMessageType.MESSAGE);
                lookup.setDestination(Workloads.USER_QUEUE + "-user" + sessionId);
                broker.getSubscriptionRegistry().findSubscriptions(
                        MessageBuilder.createMessage(new byte[0], lookup.getMessageHeaders()));
            }
        }
        for (int s = 0; s < sessionIds.length; s++) {
            subscribe(principals[owners[s]], sessionIds[s], attributes);
        }
        delivered.reset();
        deliveredBytes.reset();
    }

    private void connect(Principal user, String sessionId, Map<String, Object> attributes) {
        SimpMessageHeaderAccessor connect = SimpMessageHeaderAccessor.create(SimpMessageType.CONNECT);
        connect.setSessionId(sessionId);
        connect.setUser(user);
        connect.setSessionAttributes(attributes);
        Message<byte[]> connectMessage = MessageBuilder.createMessage(new byte[0], connect.getMessageHeaders());
        if (withBroker) {
            clientInbound.send(connectMessage);
        }
        registry.onApplicationEvent(new SessionConnectedEvent(this, connectMessage, user));
    }

    private void subscribe(Principal user, String sessionId, Map<String, Object> attributes) {
        SimpMessageHeaderAccessor subscribe = SimpMessageHeaderAccessor.create(SimpMessageType.SUBSCRIBE);
        subscribe.setSessionId(sessionId);
        subscribe.setUser(user);
        subscribe.setSessionAttributes(attributes);
        subscribe.setSubscriptionId(SUBSCRIPTION_ID);
        subscribe.setDestination(USER_DESTINATION);
        Message<byte[]> subscribeMessage = MessageBuilder.createMessage(new byte[0], subscribe.getMessageHeaders());
        if (withBroker) {
            clientInbound.send(subscribeMessage);
        }
        registry.onApplicationEvent(new SessionSubscribeEvent(this, subscribeMessage, user));
    }

    /** Sends the event to every session of the user, as an application does with Spring. */
    public void emitToUser(String userId, Object data) {
        template.convertAndSendToUser(userId, Workloads.USER_QUEUE, data);
    }

    /** @return messages delivered to the client outbound channel */
    public long delivered() {
        return delivered.sum();
    }

    /** @return payload bytes delivered */
    public long deliveredBytes() {
        return deliveredBytes.sum();
    }

    /** @return the user registry */
    public DefaultSimpUserRegistry registry() {
        return registry;
    }

    /** Stops the broker and the user destination handler. */
    public void stop() {
        if (withBroker) {
            userDestinations.stop();
            broker.stop();
        }
    }
}
