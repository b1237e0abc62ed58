package io.sigil.server.console;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The console's one escaping function and the writer built on it. */
class HtmlTest {

    @Test
    void escapesEveryCharacterThatCanStartMarkupOrLeaveAnAttribute() {
        assertThat(Html.escape("<script>alert('x')</script>")).isEqualTo("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
        assertThat(Html.escape("\"><img src=x onerror=y>")).isEqualTo("&quot;&gt;&lt;img src=x onerror=y&gt;");
        assertThat(Html.escape("a & b")).isEqualTo("a &amp; b");
        assertThat(Html.escape("&lt;")).isEqualTo("&amp;lt;"); // never double-decoded into markup
    }

    @Test
    void keepsPlainTextAndWhitespaceAndReplacesControlCharacters() {
        String plain = "Qualify lead 42: budget ok\n\tnext step";
        assertThat(Html.escape(plain)).isSameAs(plain);
        assertThat(Html.escape("a\u0000b\u001bc")).isEqualTo("a\uFFFDb\uFFFDc");
        assertThat(Html.escape(null)).isEmpty();
        assertThat(Html.escape("ünïcødé ✓")).isEqualTo("ünïcødé ✓");
    }

    @Test
    void theWriterEscapesDataInTextElementsAndLinks() {
        String html = new Html().raw("<p>").text("<b>x</b>").raw("</p>")
                .el("td", "1 < 2")
                .link("/console?q=\"><script>", "<i>label</i>").toString();
        assertThat(html).isEqualTo("<p>&lt;b&gt;x&lt;/b&gt;</p><td>1 &lt; 2</td>"
                + "<a href=\"/console?q=&quot;&gt;&lt;script&gt;\">&lt;i&gt;label&lt;/i&gt;</a>");
        assertThat(new Html().el("th scope=\"row\"", "k").toString()).isEqualTo("<th scope=\"row\">k</th>");
    }

    @Test
    void pathSegmentsAndQueryValuesAreUrlEncoded() {
        assertThat(Html.path("/console/sessions", "a b/../c?d")).isEqualTo("/console/sessions/a%20b%2F..%2Fc%3Fd");
        assertThat(Html.query("user:alice+agent:x")).isEqualTo("user%3Aalice%2Bagent%3Ax");
        // javascript: cannot become a link target: every href the console writes starts with one of its own paths.
        assertThat(Html.path("/console/sessions", "javascript:alert(1)")).startsWith("/console/sessions/");
    }
}
