package io.wsrouter.spring.readme;

import io.wsrouter.core.AgentService;
import io.wsrouter.core.CanonicalMessageRouter;
import java.util.Map;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Service;

// quick-start-spring:begin
@SpringBootApplication
public class ChatBackend {                 // router-spring on the class path: router, pool and the endpoint at /ws

    @Bean
    AgentService agents(MyAgents myAgents) {
        return (request, run) -> myAgents.start(request.content(), run);
    }
}

@Service
class Notifier {                           // anywhere in the backend
    private final CanonicalMessageRouter router;

    Notifier(CanonicalMessageRouter router) {
        this.router = router;
    }

    void thinking(String userId) {
        router.emitToUser(userId, "agent_thinking", Map.of("reasoning", "Looking at your data"));
    }
}
// quick-start-spring:end
