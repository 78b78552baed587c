-- Sentence embeddings in ML_PREDICT, and a ranking by cosine similarity in plain SQL.
-- run.py fills in ${sentences} (a JSON-lines file it writes: id 0 is the query sentence) and
-- ${model_dir} (e2e/embeddings/model).

CREATE TEMPORARY TABLE sentences (
  id INT,
  text STRING
) WITH (
  'connector' = 'filesystem',
  'path' = '${sentences}',
  'format' = 'json'
);

CREATE TEMPORARY MODEL minilm
INPUT (text STRING)
OUTPUT (embedding ARRAY<FLOAT>)
WITH (
  'provider' = 'generic-python',
  'model-directory-path' = '${model_dir}',
  'python-predict-class' = 'minilm.MiniLMEmbedding'
);

-- One ML_PREDICT embeds every sentence; the views below read it twice, so the planner
-- computes it once and reuses it.
CREATE TEMPORARY VIEW embedded AS
SELECT id, text, embedding
FROM ML_PREDICT(TABLE sentences, MODEL minilm, DESCRIPTOR(text));

-- The embeddings are L2-normalized, so the cosine is the dot product: sum the products of
-- the components with the same index.
CREATE TEMPORARY VIEW components AS
SELECT id, text, x, i
FROM embedded CROSS JOIN UNNEST(embedding) WITH ORDINALITY AS c(x, i);

SELECT s.id, s.text, SUM(s.x * q.x) AS cosine
FROM components AS s JOIN components AS q ON s.i = q.i
WHERE q.id = 0 AND s.id <> 0
GROUP BY s.id, s.text
ORDER BY cosine DESC;
