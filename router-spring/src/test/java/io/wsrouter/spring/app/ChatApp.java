package io.wsrouter.spring.app;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.wsrouter.core.AgentRequest;
import io.wsrouter.core.AgentRun;
import io.wsrouter.core.AgentService;
import io.wsrouter.core.Message;
import io.wsrouter.core.MessageHandler;
import io.wsrouter.core.RoutingContext;
import io.wsrouter.events.AgentEvents;
import io.wsrouter.quality.QualityDispatcher;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Boot chat backend as a user writes it with router-spring: no WebSocket code at all, only its own
 * beans (an agent service, a message handler, the quality dispatcher) and its security, here reduced to
 * a filter that logs in the user of an {@code Authorization: Bearer <user>} header.
 */
@SpringBootApplication
public class ChatApp {

    /** The five agent events of one run, in order. */
    public static final List<String> FIVE_EVENTS =
            List.of("agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed");

    @Bean
    AgentService agents() {
        return new AgentService() {
            @Override
            public void startAgent(AgentRequest request, AgentRun run) {
                AgentEvents events = AgentEvents.of(run, "supervisor");
                events.agentStarted(Map.of("user_id", request.userId()));
                events.agentThinking("Counting the words", 1, 50);
                events.toolExecuting("word_count", Map.of("text", request.content()));
                int words = request.content().trim().split("\\s+").length;
                events.toolCompleted("word_count", Map.of("words", words), 1L);
                events.agentCompleted(Map.of("answer", words + " words"), 2L);
            }
        };
    }

    /** The app's own message type: {@code echo} answers {@code echoed} with the payload. */
    @Bean
    MessageHandler echo() {
        return new MessageHandler() {
            @Override
            public Set<String> messageTypes() {
                return Set.of("echo");
            }

            @Override
            public boolean handle(RoutingContext context, Message message) {
                return context.reply("echoed", message.payload());
            }

            @Override
            public String name() {
                return "EchoHandler";
            }
        };
    }

    @Bean
    QualityDispatcher quality() {
        return QualityDispatcher.builder().build();
    }

    /** The app's security, reduced to a header: {@code Authorization: Bearer alice} logs alice in. */
    @Bean
    Filter bearerLogin() {
        return (request, response, chain) -> {
            String header = ((HttpServletRequest) request).getHeader("Authorization");
            if (header == null || !header.startsWith("Bearer ")) {
                chain.doFilter(request, response);
                return;
            }
            String user = header.substring("Bearer ".length());
            chain.doFilter(new HttpServletRequestWrapper((HttpServletRequest) request) {
                @Override
                public Principal getUserPrincipal() {
                    return () -> user;
                }
            }, response);
        };
    }

    /** A value the app serves over HTTP (Boot's JSON mapper) and emits over the socket (the router's). */
    public record Weather(@JsonProperty("temperature_c") int temperatureC) {
    }

    /** The app's ordinary REST endpoint. */
    @RestController
    static class WeatherController {
        @GetMapping("/weather")
        Weather weather() {
            return new Weather(21);
        }
    }
}
