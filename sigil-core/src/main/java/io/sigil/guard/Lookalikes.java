package io.sigil.guard;

/**
 * Characters that render like ASCII letters or punctuation (after NFKD, which already handles fullwidth and
 * mathematical forms): Cyrillic and Greek letters, Latin small capitals and IPA letters, typographic quotes and
 * dashes. A hand-picked subset of the Unicode confusables table, limited to what is used to dodge word filters.
 */
final class Lookalikes {
    private Lookalikes() { }

    /** Pairs of (look-alike, ASCII letter): Cyrillic, Greek, Latin small capitals and IPA letters. */
    private static final String PAIRS =
            "аaеeоoрpсcуyхxіiјjѕsԁdһh"
            + "ӏlкkмmнhтtвbгrпnьbԛqԝwɡg"
            + "АaВbЕeКkМmНhОoРpСcТtХxІi"
            + "ЈjЅsУyԌgԚqԜwαaβbεeιiκkνv"
            + "οoρpτtυuχxγyωwΑaΒbΕeΖzΗh"
            + "ΙiΚkΜmΝnΟoΡpΤtΥyΧxᴀaʙbᴄc"
            + "ᴅdᴇeɢgʜhɪiᴊjᴋkʟlᴍmɴnᴏoᴘp"
            + "ʀrꜱsᴛtᴜuᴠvᴡwʏyᴢzıiȷjɑaɩi"
            + "ℓl";

    private static final char[] LATIN = new char[0xA800];

    static {
        for (int i = 0; i < PAIRS.length(); i += 2) LATIN[PAIRS.charAt(i)] = PAIRS.charAt(i + 1);
    }

    /** The ASCII letter {@code c} looks like, or 0. */
    static char latin(char c) {
        return c < LATIN.length ? LATIN[c] : 0;
    }

    /** The ASCII punctuation {@code c} stands for (quotes, dashes, angle brackets), or 0. */
    static char punctuation(char c) {
        return switch (c) {
            case '\u2018', '\u2019', '\u201A', '\u201B', '\u2032', '\u00B4', '\u02BC' -> '\'';
            case '\u201C', '\u201D', '\u201E', '\u201F', '\u00AB', '\u00BB', '\u2033' -> '"';
            case '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212' -> '-';
            case '\u2039', '\u2329', '\u27E8', '\u3008', '\u02C2', '\u1438', '\u276E' -> '<';
            case '\u203A', '\u232A', '\u27E9', '\u3009', '\u02C3', '\u1433', '\u276F' -> '>';
            default -> 0;
        };
    }
}
