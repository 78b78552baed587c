package io.pyflinkml.predict.evaluate;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Corpus BLEU-4 (Papineni et al., one reference per row, no smoothing, as NLTK's corpus_bleu)
 * from its corpus-wide counts, and the sum of the rows' ROUGE-L F-measures (as rouge-score's
 * rougeL). The label is the reference text, the prediction the generated one.
 */
public class TextGenerationAccumulator implements TaskAccumulator {

    private static final int MAX_ORDER = 4;

    public long rows;
    /** Per n-gram order 1..4: generated n-grams found in the reference (clipped counts). */
    public long[] matches = new long[MAX_ORDER];
    /** Per order: generated n-grams, at least 1 per row (NLTK's modified precision). */
    public long[] candidates = new long[MAX_ORDER];
    public long generatedLength;
    public long referenceLength;
    public double rougeL;

    public TextGenerationAccumulator() {}

    @Override
    public void add(Object label, Object prediction) {
        List<String> reference = TextTokens.of((String) label);
        List<String> generated = TextTokens.of((String) prediction);
        for (int n = 1; n <= MAX_ORDER; n++) {
            Map<List<String>, Integer> inReference = ngrams(reference, n);
            long found = 0;
            long total = 0;
            for (Map.Entry<List<String>, Integer> e : ngrams(generated, n).entrySet()) {
                found += Math.min(e.getValue(), inReference.getOrDefault(e.getKey(), 0));
                total += e.getValue();
            }
            matches[n - 1] += found;
            candidates[n - 1] += Math.max(1, total);
        }
        generatedLength += generated.size();
        referenceLength += reference.size();
        rougeL += rougeLF(reference, generated);
        rows++;
    }

    private static Map<List<String>, Integer> ngrams(List<String> tokens, int n) {
        Map<List<String>, Integer> counts = new HashMap<>();
        for (int i = 0; i + n <= tokens.size(); i++) {
            counts.merge(tokens.subList(i, i + n), 1, Integer::sum);
        }
        return counts;
    }

    /** F-measure of the longest common subsequence; 0 when either text has no tokens. */
    private static double rougeLF(List<String> reference, List<String> generated) {
        if (reference.isEmpty() || generated.isEmpty()) {
            return 0.0;
        }
        int[] previous = new int[generated.size() + 1];
        int[] current = new int[generated.size() + 1];
        for (String token : reference) {
            for (int j = 1; j <= generated.size(); j++) {
                current[j] =
                        token.equals(generated.get(j - 1))
                                ? previous[j - 1] + 1
                                : Math.max(previous[j], current[j - 1]);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        int lcs = previous[generated.size()];
        double precision = (double) lcs / generated.size();
        double recall = (double) lcs / reference.size();
        return precision + recall == 0 ? 0.0 : 2 * precision * recall / (precision + recall);
    }

    @Override
    public void merge(TaskAccumulator other) {
        TextGenerationAccumulator that = (TextGenerationAccumulator) other;
        for (int i = 0; i < MAX_ORDER; i++) {
            matches[i] += that.matches[i];
            candidates[i] += that.candidates[i];
        }
        generatedLength += that.generatedLength;
        referenceLength += that.referenceLength;
        rougeL += that.rougeL;
        rows += that.rows;
    }

    @Override
    public long count() {
        return rows;
    }

    @Override
    public Map<String, Double> metrics() {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("bleu", bleu());
        metrics.put("rouge_l", rougeL / rows);
        return metrics;
    }

    /** 0 when some order has no match at all (no smoothing), else BP * geometric mean. */
    private double bleu() {
        double logSum = 0;
        for (int i = 0; i < MAX_ORDER; i++) {
            if (matches[i] == 0) {
                return 0.0;
            }
            logSum += Math.log((double) matches[i] / candidates[i]) / MAX_ORDER;
        }
        double brevity =
                generatedLength > referenceLength
                        ? 1.0
                        : Math.exp(1.0 - (double) referenceLength / generatedLength);
        return brevity * Math.exp(logSum);
    }
}
