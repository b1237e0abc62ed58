package io.sigil.contracts;

import java.util.Map;

/** Where a contract was read from: the file (or resource) name and the line of each path in it, for messages. */
public record ContractSource(String file, Map<String, Integer> lines) {
    public static final ContractSource BUILT_IN_CODE = new ContractSource("(java)", Map.of());

    public ContractSource {
        lines = Map.copyOf(lines);
    }

    /** {@code file:line} of a path such as {@code deliverables[1].rules[0]}, using its closest located ancestor. */
    public String locate(String path) {
        String p = path;
        while (true) {
            Integer line = lines.get(p);
            if (line != null) return file + ":" + line;
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            if (cut <= 0) return file;
            p = p.substring(0, cut);
        }
    }
}
