package io.wsrouter.quality;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which of many words occur in a text, in one pass: an Aho-Corasick automaton over the words. It
 * answers what {@code text.contains(word)} for each word answers, in time linear in the text plus the
 * words, where the loop of {@code contains} costs up to the text's length times the words' total
 * length (a 32 KiB run of {@code a} against a 30 KiB request of words {@code aaaaab, aaaaaab, ...}
 * took seconds). Used by relevance, whose words come from the client's {@code user_request}.
 */
final class ContainedWords {

    private ContainedWords() {
    }

    /** @return how many of the words occur in the text (each word counted once, however often it occurs) */
    static int count(List<String> words, String text) {
        // The trie: node 0 is the root; an edge is (node, char) -> node.
        Map<Long, Integer> edges = new HashMap<>();
        List<Integer> wordAt = new ArrayList<>();   // per node: index of the word ending there, or -1
        wordAt.add(-1);
        for (int w = 0; w < words.size(); w++) {
            String word = words.get(w);
            int node = 0;
            for (int i = 0; i < word.length(); i++) {
                long key = key(node, word.charAt(i));
                Integer child = edges.get(key);
                if (child == null) {
                    child = wordAt.size();
                    wordAt.add(-1);
                    edges.put(key, child);
                }
                node = child;
            }
            if (wordAt.get(node) < 0) {
                wordAt.set(node, w);
            }
        }
        int nodes = wordAt.size();
        int[] fail = new int[nodes];
        int[] output = new int[nodes];   // nearest node on the failure chain (itself included) that ends a word, or -1
        // Breadth first, so a node's failure target is settled before the node's children need it.
        List<List<long[]>> children = new ArrayList<>(nodes);
        for (int i = 0; i < nodes; i++) {
            children.add(null);
        }
        for (Map.Entry<Long, Integer> e : edges.entrySet()) {
            int parent = (int) (e.getKey() >>> 16);
            if (children.get(parent) == null) {
                children.set(parent, new ArrayList<>(2));
            }
            children.get(parent).add(new long[] {e.getKey() & 0xFFFF, e.getValue()});
        }
        output[0] = -1;
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        queue.add(0);
        while (!queue.isEmpty()) {
            int node = queue.poll();
            List<long[]> kids = children.get(node);
            if (kids == null) {
                continue;
            }
            for (long[] kid : kids) {
                char c = (char) kid[0];
                int child = (int) kid[1];
                int f = node == 0 ? -1 : fail[node];
                while (f >= 0 && !edges.containsKey(key(f, c))) {
                    f = f == 0 ? -1 : fail[f];
                }
                fail[child] = f < 0 ? 0 : edges.get(key(f, c));
                output[child] = wordAt.get(child) >= 0 ? child : output[fail[child]];
                queue.add(child);
            }
        }
        boolean[] reported = new boolean[nodes];
        int found = 0;
        int state = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            Integer next = edges.get(key(state, c));
            while (next == null && state != 0) {
                state = fail[state];
                next = edges.get(key(state, c));
            }
            state = next == null ? 0 : next;
            // Report the words ending here; a reported node has had its whole chain reported already.
            for (int o = output[state]; o > 0 && !reported[o]; o = output[fail[o]]) {
                reported[o] = true;
                found++;
            }
        }
        return found;
    }

    private static long key(int node, char c) {
        return ((long) node << 16) | c;
    }
}
