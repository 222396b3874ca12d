package io.wsrouter.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.cluster.SlotHash;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeysTest {

    private final Keys keys = new Keys("test:");

    @Test
    void everyUsersKeysAndChannelShareOneClusterSlotWhateverTheId() {
        for (String user : List.of("alice", "", "}", "}x", "~", "~a", "a}b", "{a}", "a{b", "ålice ✓")) {
            int slot = SlotHash.getSlot(keys.meta(user));
            assertThat(SlotHash.getSlot(keys.stream(user))).as(user).isEqualTo(slot);
            assertThat(SlotHash.getSlot(keys.channel(user))).as(user).isEqualTo(slot);
        }
    }

    @Test
    void aChannelNamesItsUserBackAndNoTwoUsersShareKeys() {
        List<String> users = List.of("alice", "", "}", "}x", "~", "~}x", "~~", "a}b", "{a}");
        for (String user : users) {
            assertThat(keys.userOf(keys.channel(user))).as(user).isEqualTo(user);
        }
        assertThat(users.stream().map(keys::meta).distinct()).hasSize(users.size());
        assertThat(keys.userOf("other:{alice}:c")).isNull();
    }
}
