package io.sigil.server.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.sigil.config.Settings;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The effective settings as JSON with secrets masked: any textual value whose member name contains {@code key},
 * {@code secret}, {@code token}, {@code password} or {@code credential} becomes {@code "****"} (numbers such as
 * {@code max_tokens} are not secrets and stay), and passwords inside URLs ({@code postgres://user:pw@host}) are
 * masked too.
 */
public final class SettingsView {
    public static final String MASK = "****";
    private static final List<String> SECRET_WORDS = List.of("key", "secret", "token", "password", "credential");
    private static final Pattern URL_USERINFO = Pattern.compile("(?<scheme>[a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\\s]*@");

    private SettingsView() { }

    public static ObjectNode masked(Settings settings, ObjectMapper mapper) {
        ObjectNode tree = mapper.valueToTree(settings);
        mask(tree);
        return tree;
    }

    static void mask(JsonNode node) {
        if (node instanceof ObjectNode object) {
            List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
            object.fields().forEachRemaining(fields::add);
            for (Map.Entry<String, JsonNode> f : fields) {
                JsonNode value = f.getValue();
                if (value.isTextual() && isSecretName(f.getKey())) {
                    object.set(f.getKey(), TextNode.valueOf(MASK));
                } else if (value.isTextual()) {
                    object.set(f.getKey(), TextNode.valueOf(maskUrlPassword(value.textValue())));
                } else {
                    mask(value);
                }
            }
        } else if (node.isArray()) {
            node.forEach(SettingsView::mask);
        }
    }

    static boolean isSecretName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return SECRET_WORDS.stream().anyMatch(lower::contains);
    }

    static String maskUrlPassword(String value) {
        return URL_USERINFO.matcher(value).replaceAll("${scheme}" + MASK + "@");
    }
}
