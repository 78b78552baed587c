package io.pyflinkml.predict.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;

class TextGenerationAccumulatorTest {

    private static final String[][] ROWS = {
        {"The quick brown fox jumps over the lazy dog.", "the quick brown fox jumps over the dog"},
        {"a b c d e", "A, b, c, d!"},
    };

    // NLTK's corpus_bleu over both rows: 0.76187709196752; ROUGE-L F: 16/17 and 8/9.
    private static final double BLEU = 0.76187709196752;
    private static final double ROUGE_L = (16.0 / 17 + 8.0 / 9) / 2;

    private static TextGenerationAccumulator of(String[]... rows) {
        TextGenerationAccumulator accumulator = new TextGenerationAccumulator();
        for (String[] row : rows) {
            accumulator.add(row[0], row[1]);
        }
        return accumulator;
    }

    @Test
    void corpusBleuAndRougeLAreNltksAndRougeScores() {
        Map<String, Double> metrics = of(ROWS).metrics();
        assertEquals(Arrays.asList("bleu", "rouge_l"), Arrays.asList(metrics.keySet().toArray()));
        assertEquals(BLEU, metrics.get("bleu"), 1e-12);
        assertEquals(ROUGE_L, metrics.get("rouge_l"), 1e-12);
    }

    @Test
    void bleuIsCorpusWideSoMergingGivesTheWholesScore() {
        TextGenerationAccumulator first = of(ROWS[0]);
        assertEquals(0.767279645960659, first.metrics().get("bleu"), 1e-12);
        first.merge(of(ROWS[1]));
        first.merge(new TextGenerationAccumulator());
        assertEquals(2, first.count());
        assertEquals(BLEU, first.metrics().get("bleu"), 1e-12);
        assertEquals(ROUGE_L, first.metrics().get("rouge_l"), 1e-12);
    }

    @Test
    void identicalTextsScoreOne() {
        Map<String, Double> metrics = of(new String[] {"one two three four five", "One two three four five"}).metrics();
        assertEquals(1.0, metrics.get("bleu"), 1e-12);
        assertEquals(1.0, metrics.get("rouge_l"), 1e-12);
    }

    @Test
    void withoutAnyFourGramMatchBleuIsZeroUnsmoothed() {
        Map<String, Double> metrics = of(new String[] {"the cat sat on the mat", "the cat on the mat"}).metrics();
        assertEquals(0.0, metrics.get("bleu"));
        assertEquals(10.0 / 11, metrics.get("rouge_l"), 1e-12); // LCS 5 of 5 and 6 tokens
    }

    @Test
    void anEmptyTextScoresZero() {
        Map<String, Double> metrics = of(new String[] {"reference text", "!!!"}).metrics();
        assertEquals(0.0, metrics.get("bleu"));
        assertEquals(0.0, metrics.get("rouge_l"));
    }
}
