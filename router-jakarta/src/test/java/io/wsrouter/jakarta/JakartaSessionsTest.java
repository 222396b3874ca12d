package io.wsrouter.jakarta;

import static org.assertj.core.api.Assertions.assertThat;

import io.wsrouter.core.RemovalReason;
import jakarta.websocket.CloseReason.CloseCodes;
import org.junit.jupiter.api.Test;

class JakartaSessionsTest {

    @Test
    void closeReasonsFollowTheTableEveryAdapterShares() {
        assertThat(JakartaSessions.closeReasonFor(RemovalReason.UNREGISTERED)).isNull();
        assertThat(JakartaSessions.closeReasonFor(RemovalReason.IDLE).getCloseCode()).isEqualTo(CloseCodes.GOING_AWAY);
        assertThat(JakartaSessions.closeReasonFor(RemovalReason.IDLE).getReasonPhrase()).isEqualTo("idle timeout");
        assertThat(JakartaSessions.closeReasonFor(RemovalReason.SHUTDOWN).getCloseCode()).isEqualTo(CloseCodes.GOING_AWAY);
        assertThat(JakartaSessions.closeReasonFor(RemovalReason.SHUTDOWN).getReasonPhrase()).isEqualTo("server shutting down");
        for (RemovalReason abortive : new RemovalReason[] {RemovalReason.SLOW, RemovalReason.FAILING}) {
            assertThat(JakartaSessions.closeReasonFor(abortive).getCloseCode()).isEqualTo(CloseCodes.CLOSED_ABNORMALLY);
        }
    }

    @Test
    void aSendToAnUnknownConnectionFailsWithoutThrowing() {
        assertThat(new JakartaSessions().sendToConnection("nobody", "{}").toCompletableFuture()).isCompletedExceptionally();
    }
}
