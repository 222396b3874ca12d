package io.wsrouter.bench;

/** Fails a benchmark whose work did not happen, so that a broken setup never yields a fast number. */
final class Checks {

    private Checks() {
    }

    static void handled(String peer, ContentSink sink) {
        if (sink.messages() == 0 || sink.chars() == 0) {
            throw new IllegalStateException(peer + ": the user_message handler never ran");
        }
    }

    static void delivered(String peer, long frames) {
        if (frames == 0) {
            throw new IllegalStateException(peer + ": no frame reached the transport");
        }
    }
}
