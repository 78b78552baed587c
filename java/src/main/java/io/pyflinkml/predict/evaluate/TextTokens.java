package io.pyflinkml.predict.evaluate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tokenization of BLEU and ROUGE-L (README "Metrics"): the text in lower case (Locale.ROOT),
 * cut into the longest runs of Unicode letters and digits; everything else (spaces,
 * punctuation, symbols) only separates tokens. So "Hello, world!" is [hello, world].
 */
final class TextTokens {

    private static final Pattern TOKEN = Pattern.compile("[\\p{L}\\p{N}]+");

    private TextTokens() {}

    static List<String> of(String text) {
        List<String> tokens = new ArrayList<>();
        Matcher matcher = TOKEN.matcher(text.toLowerCase(Locale.ROOT));
        while (matcher.find()) {
            tokens.add(matcher.group());
        }
        return tokens;
    }
}
