package com.example.consumer;

import io.wsrouter.core.CanonicalMessageRouter;
import io.wsrouter.events.ConnectionPool;
import io.wsrouter.events.WebSocketManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** The README's quick start as a consumer writes it: a pool, a router, a ping that must come back as a pong. */
public final class QuickStart {

    public static void main(String[] args) {
        List<String> sent = new CopyOnWriteArrayList<>();
        WebSocketManager transport = (connectionId, frame) -> {
            sent.add(frame);
            return CompletableFuture.completedFuture(null);
        };
        ConnectionPool pool = ConnectionPool.builder(transport).idleTimeout(Duration.ofMinutes(5)).build();
        CanonicalMessageRouter router = CanonicalMessageRouter.builder()
                .connectionPool(pool)
                .agentService((request, run) -> run.emit("agent_started", "supervisor", Map.of("content", request.content())))
                .build();
        try {
            router.registerConnection("alice", "s-1");
            router.routeMessage("alice", "s-1", "{\"type\":\"ping\",\"message_id\":\"m-1\"}");
            router.routeMessage("alice", "s-1", "{\"type\":\"user_message\",\"payload\":{\"content\":\"hello\"}}");
        } finally {
            router.close();
        }
        String pong = sent.stream().filter(f -> f.contains("\"type\":\"pong\"")).findFirst()
                .orElseThrow(() -> new AssertionError("no pong among " + sent));
        if (!pong.contains("\"user_id\":\"alice\"")) {
            throw new AssertionError("pong without the user: " + pong);
        }
        if (sent.stream().noneMatch(f -> f.contains("\"type\":\"agent_started\"") && f.contains("\"content\":\"hello\""))) {
            throw new AssertionError("no agent_started for the user message among " + sent);
        }
        System.out.println("QUICK START OK: " + pong);
    }
}
