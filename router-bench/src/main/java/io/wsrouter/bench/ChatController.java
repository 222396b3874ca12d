package io.wsrouter.bench;

import org.springframework.messaging.handler.annotation.MessageMapping;
import org.springframework.stereotype.Controller;

/**
 * The Spring peer's application: twelve {@code @MessageMapping} methods, one per type of
 * {@link Workloads#TYPES}, each binding the JSON body with Jackson and reading one payload field, the
 * work every W1 handler does. Returns nothing, so no reply message is built (as in the other peers).
 */
@Controller
public class ChatController {

    private final ContentSink sink;

    /** @param sink where handlers put what they read */
    public ChatController(ContentSink sink) {
        this.sink = sink;
    }

    /** user_message. */
    @MessageMapping("user_message")
    public void userMessage(InboundFrame frame) {
        sink.accept(frame.text(Workloads.CONTENT_FIELD));
    }

    /** chat. */
    @MessageMapping("chat")
    public void chat(InboundFrame frame) {
        sink.accept(frame.text(Workloads.CONTENT_FIELD));
    }

    /** ping. */
    @MessageMapping("ping")
    public void ping(InboundFrame frame) {
        sink.accept(frame.type());
    }

    /** pong. */
    @MessageMapping("pong")
    public void pong(InboundFrame frame) {
        sink.accept(frame.type());
    }

    /** heartbeat. */
    @MessageMapping("heartbeat")
    public void heartbeat(InboundFrame frame) {
        sink.accept(frame.type());
    }

    /** user_typing. */
    @MessageMapping("user_typing")
    public void userTyping(InboundFrame frame) {
        sink.accept(frame.type());
    }

    /** agent_request. */
    @MessageMapping("agent_request")
    public void agentRequest(InboundFrame frame) {
        sink.accept(frame.text(Workloads.CONTENT_FIELD));
    }

    /** start_agent. */
    @MessageMapping("start_agent")
    public void startAgent(InboundFrame frame) {
        sink.accept(frame.text(Workloads.CONTENT_FIELD));
    }

    /** thread_update. */
    @MessageMapping("thread_update")
    public void threadUpdate(InboundFrame frame) {
        sink.accept(frame.type());
    }

    /** thread_message. */
    @MessageMapping("thread_message")
    public void threadMessage(InboundFrame frame) {
        sink.accept(frame.text(Workloads.CONTENT_FIELD));
    }

    /** error_message. */
    @MessageMapping("error_message")
    public void errorMessage(InboundFrame frame) {
        sink.accept(frame.type());
    }

    /** agent_status_update. */
    @MessageMapping("agent_status_update")
    public void agentStatusUpdate(InboundFrame frame) {
        sink.accept(frame.type());
    }
}
