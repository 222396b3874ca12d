package io.wsrouter.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The Lua scripts that make each step on a user's stream atomic in Redis. Run with EVALSHA (the SHA is
 * computed here, loaded with SCRIPT LOAD at start, on a cluster on every node); a server that answers
 * NOSCRIPT (restarted, flushed, failed over, a master new to the cluster) gets the script's text with
 * EVAL, which loads it again.
 *
 * <p>Every script takes {@code KEYS[1]} = the user's meta hash ({@code e} epoch, {@code o} offset)
 * and {@code KEYS[2]} = the user's stream. A stream whose meta is missing has lost its history (expired,
 * flushed, a restarted server): the script that starts it again draws a new epoch and deletes any
 * leftover stream, so offsets start at 1 under the new epoch. Both keys and the channel a script
 * publishes on carry the hash tag {@code {userId}}: on Redis Cluster a script touches one slot.
 */
final class Scripts {

    /**
     * Sequencing, history and fan-out in one step. ARGV: frame, historySize, ttlMillis, a fresh epoch,
     * create (1: start the stream if missing; 0: a stranger's event is dropped), channel, sharded (1/0).
     * Returns the offset, or nil when the stream is missing and create is 0.
     */
    static final Script PUBLISH = new Script("publish", """
            local epoch = redis.call('HGET', KEYS[1], 'e')
            if not epoch then
              if ARGV[5] ~= '1' then return false end
              epoch = ARGV[4]
              redis.call('DEL', KEYS[2])
              redis.call('HSET', KEYS[1], 'e', epoch, 'o', 0)
            end
            local offset = redis.call('HINCRBY', KEYS[1], 'o', 1)
            local frame = ARGV[1]
            local sep = ','
            if string.sub(frame, -2, -2) == '{' then sep = '' end
            local o = string.format('%d', offset)
            local stamped = string.sub(frame, 1, -2) .. sep .. '"offset":' .. o .. ',"epoch":"' .. epoch .. '"}'
            redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], o .. '-0', 'f', stamped)
            redis.call('PEXPIRE', KEYS[1], ARGV[3])
            redis.call('PEXPIRE', KEYS[2], ARGV[3])
            local message = epoch .. ':' .. o .. ':' .. stamped
            if ARGV[7] == '1' then
              redis.call('SPUBLISH', ARGV[6], message)
            else
              redis.call('PUBLISH', ARGV[6], message)
            end
            return offset
            """);

    /**
     * Keeps a user's stream (starting it when missing) for ttlMillis more, tells where it stands, and
     * says so on the user's channel too: a marker {@code epoch:offset:} (no frame). A node that reads
     * the marker on the channel knows that every event up to that offset came before it on the
     * channel, so what it did not receive was lost and must be read from the stream; a position read
     * any other way could be ahead of events still on their way. ARGV: ttlMillis, a fresh epoch,
     * channel, sharded (1/0). Returns {epoch, offset}.
     */
    static final Script TOUCH = new Script("touch", """
            local epoch = redis.call('HGET', KEYS[1], 'e')
            local offset = 0
            if not epoch then
              epoch = ARGV[2]
              redis.call('DEL', KEYS[2])
              redis.call('HSET', KEYS[1], 'e', epoch, 'o', 0)
            else
              offset = tonumber(redis.call('HGET', KEYS[1], 'o'))
            end
            redis.call('PEXPIRE', KEYS[1], ARGV[1])
            if redis.call('EXISTS', KEYS[2]) == 1 then redis.call('PEXPIRE', KEYS[2], ARGV[1]) end
            local marker = epoch .. ':' .. string.format('%d', offset) .. ':'
            if ARGV[4] == '1' then
              redis.call('SPUBLISH', ARGV[3], marker)
            else
              redis.call('PUBLISH', ARGV[3], marker)
            end
            return {epoch, offset}
            """);

    /**
     * Reads part of a stream to fill a gap. ARGV: first offset, last offset. Returns {epoch, offset,
     * frame...} (the frames in offset order, those still in history), or {} when the stream is missing.
     */
    static final Script FETCH = new Script("fetch", """
            local epoch = redis.call('HGET', KEYS[1], 'e')
            if not epoch then return {} end
            local result = {epoch, tonumber(redis.call('HGET', KEYS[1], 'o'))}
            for _, entry in ipairs(redis.call('XRANGE', KEYS[2], ARGV[1] .. '-0', ARGV[2] .. '-0')) do
              result[#result + 1] = entry[2][2]
            end
            return result
            """);

    /**
     * What a resume needs, read atomically: ARGV: the client's epoch, its offset, historySize,
     * ttlMillis, a fresh epoch. Starts the stream when missing (the caller's user is connected).
     * Returns {epoch, offset, frame...}: the frames after the client's offset when its epoch is the
     * stream's and no more than historySize are missing; none otherwise.
     */
    static final Script RESUME = new Script("resume", """
            local epoch = redis.call('HGET', KEYS[1], 'e')
            local offset = 0
            if not epoch then
              epoch = ARGV[5]
              redis.call('DEL', KEYS[2])
              redis.call('HSET', KEYS[1], 'e', epoch, 'o', 0)
              redis.call('PEXPIRE', KEYS[1], ARGV[4])
            else
              offset = tonumber(redis.call('HGET', KEYS[1], 'o'))
            end
            local result = {epoch, offset}
            local after = tonumber(ARGV[2])
            if ARGV[1] == epoch and after >= 0 and after < offset and offset - after <= tonumber(ARGV[3]) then
              for _, entry in ipairs(redis.call('XRANGE', KEYS[2], string.format('%d', after + 1) .. '-0', '+')) do
                result[#result + 1] = entry[2][2]
              end
            end
            return result
            """);

    /**
     * Marks events this node could not sequence (Redis was unreachable) as lost: moves the offset
     * on by ARGV[1] without history, so every client sees a gap and its resume answers recovered:false.
     * Does nothing when the stream is missing or its epoch is not ARGV[2] (when given): a new epoch
     * tells clients to resynchronise anyway.
     */
    static final Script SKIP = new Script("skip", """
            local epoch = redis.call('HGET', KEYS[1], 'e')
            if not epoch or (ARGV[2] ~= '' and ARGV[2] ~= epoch) then return 0 end
            return redis.call('HINCRBY', KEYS[1], 'o', ARGV[1])
            """);

    static final List<Script> ALL = List.of(PUBLISH, TOUCH, FETCH, RESUME, SKIP);

    private Scripts() {
    }

    /** One script: its text and SHA-1. */
    record Script(String name, String text, String sha) {

        Script(String name, String text) {
            this(name, text, sha1(text));
        }

        /**
         * Runs the script: EVALSHA when {@code cached} (falling back to EVAL on NOSCRIPT, and telling
         * {@code noScript}), else EVAL (after a reconnect, until the scripts are loaded again: a NOSCRIPT
         * retry would reorder publications of one user). On a cluster both go to the master of the keys'
         * slot, so a script missing on one master is sent there as EVAL, whatever the others hold.
         */
        <T> CompletableFuture<T> run(RedisClusterAsyncCommands<String, String> redis, boolean cached, Runnable noScript,
                                     ScriptOutputType type, String[] keys, String... args) {
            if (!cached) {
                return redis.<T>eval(text, type, keys, args).toCompletableFuture();
            }
            CompletionStage<T> first = redis.<T>evalsha(sha, type, keys, args);
            return first.toCompletableFuture().exceptionallyCompose(error -> {
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                if (cause instanceof RedisNoScriptException
                        || (cause.getMessage() != null && cause.getMessage().startsWith("NOSCRIPT"))) {
                    noScript.run();
                    return redis.<T>eval(text, type, keys, args).toCompletableFuture();
                }
                return CompletableFuture.failedFuture(cause);
            });
        }

        private static String sha1(String text) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-1 is missing from this JVM", e);
            }
        }
    }
}
