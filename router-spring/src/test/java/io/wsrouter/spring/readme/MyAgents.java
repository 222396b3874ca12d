package io.wsrouter.spring.readme;

import io.wsrouter.core.AgentRun;
import io.wsrouter.events.AgentEvents;
import java.util.Map;
import org.springframework.stereotype.Component;

/** Stands for the host's agents. */
@Component
class MyAgents {
    void start(String content, AgentRun run) {
        AgentEvents.of(run, "supervisor").agentCompleted(Map.of("answer", "you said " + content), 1L);
    }
}
