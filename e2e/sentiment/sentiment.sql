-- The FLIP's sentiment example over held-out Rotten Tomatoes reviews.
-- run.py fills in ${reviews} (a JSON-lines file it writes) and ${model_dir} (the directory
-- build_model.py made: a HuggingFace model plus hf_sentiment.py).

CREATE TEMPORARY TABLE reviews (
  id INT,
  review STRING,
  truth STRING
) WITH (
  'connector' = 'filesystem',
  'path' = '${reviews}',
  'format' = 'json'
);

CREATE TEMPORARY MODEL sentiment
INPUT (review STRING)
OUTPUT (label STRING, score FLOAT)
WITH (
  'provider' = 'generic-python',
  'model-directory-path' = '${model_dir}',
  'python-predict-class' = 'hf_sentiment.HuggingFaceSentimentPredictFunction'
);

SELECT id, review, truth, label, score
FROM ML_PREDICT(TABLE reviews, MODEL sentiment, DESCRIPTOR(review),
                MAP['max-concurrent-operations', '256', 'batch-size', '64']);
