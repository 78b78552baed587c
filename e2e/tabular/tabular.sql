-- A scikit-learn pipeline (StandardScaler + LogisticRegression, saved with joblib) in
-- ML_PREDICT, over the held-out tumours of scikit-learn's breast cancer data set.
-- run.py fills in ${tumours} (a JSON-lines file it writes) and ${model_dir} (the directory
-- train.py made: pipeline.joblib plus breast_cancer.py).

CREATE TEMPORARY TABLE tumours (
  id INT,
  truth INT,
  mean_radius DOUBLE, mean_texture DOUBLE, mean_perimeter DOUBLE,
  mean_area DOUBLE, mean_smoothness DOUBLE, mean_compactness DOUBLE,
  mean_concavity DOUBLE, mean_concave_points DOUBLE, mean_symmetry DOUBLE,
  mean_fractal_dimension DOUBLE, radius_error DOUBLE, texture_error DOUBLE,
  perimeter_error DOUBLE, area_error DOUBLE, smoothness_error DOUBLE,
  compactness_error DOUBLE, concavity_error DOUBLE, concave_points_error DOUBLE,
  symmetry_error DOUBLE, fractal_dimension_error DOUBLE, worst_radius DOUBLE,
  worst_texture DOUBLE, worst_perimeter DOUBLE, worst_area DOUBLE,
  worst_smoothness DOUBLE, worst_compactness DOUBLE, worst_concavity DOUBLE,
  worst_concave_points DOUBLE, worst_symmetry DOUBLE, worst_fractal_dimension DOUBLE
) WITH (
  'connector' = 'filesystem',
  'path' = '${tumours}',
  'format' = 'json'
);

CREATE TEMPORARY MODEL breast_cancer
INPUT (
  mean_radius DOUBLE, mean_texture DOUBLE, mean_perimeter DOUBLE,
  mean_area DOUBLE, mean_smoothness DOUBLE, mean_compactness DOUBLE,
  mean_concavity DOUBLE, mean_concave_points DOUBLE, mean_symmetry DOUBLE,
  mean_fractal_dimension DOUBLE, radius_error DOUBLE, texture_error DOUBLE,
  perimeter_error DOUBLE, area_error DOUBLE, smoothness_error DOUBLE,
  compactness_error DOUBLE, concavity_error DOUBLE, concave_points_error DOUBLE,
  symmetry_error DOUBLE, fractal_dimension_error DOUBLE, worst_radius DOUBLE,
  worst_texture DOUBLE, worst_perimeter DOUBLE, worst_area DOUBLE,
  worst_smoothness DOUBLE, worst_compactness DOUBLE, worst_concavity DOUBLE,
  worst_concave_points DOUBLE, worst_symmetry DOUBLE, worst_fractal_dimension DOUBLE
)
OUTPUT (label INT, probability DOUBLE)
WITH (
  'provider' = 'generic-python',
  'model-directory-path' = '${model_dir}',
  'python-predict-class' = 'breast_cancer.BreastCancerClassifier',
  'task' = 'classification'
);

SELECT id, truth, label, probability
FROM ML_PREDICT(
  TABLE tumours, MODEL breast_cancer,
  DESCRIPTOR(
    mean_radius, mean_texture, mean_perimeter, mean_area,
    mean_smoothness, mean_compactness, mean_concavity, mean_concave_points,
    mean_symmetry, mean_fractal_dimension, radius_error, texture_error,
    perimeter_error, area_error, smoothness_error, compactness_error,
    concavity_error, concave_points_error, symmetry_error, fractal_dimension_error,
    worst_radius, worst_texture, worst_perimeter, worst_area,
    worst_smoothness, worst_compactness, worst_concavity, worst_concave_points,
    worst_symmetry, worst_fractal_dimension));

-- The evaluation, FLIP-525's ML_EVALUATE (which Flink 2.3 parses but cannot run): the provider
-- jar's ML_EVALUATE_METRICS aggregate over the same ML_PREDICT gives accuracy and the
-- macro-averaged precision, recall and F1 as a MAP<STRING, DOUBLE>. `pyflink-ml-predict run`
-- also takes the FLIP's own syntax, ML_EVALUATE(TABLE tumours, MODEL breast_cancer,
-- DESCRIPTOR(truth), DESCRIPTOR(mean_radius, ...)), and rewrites it into this.
CREATE TEMPORARY SYSTEM FUNCTION IF NOT EXISTS ML_EVALUATE_METRICS
  AS 'io.pyflinkml.predict.evaluate.MlEvaluateMetrics';

SELECT ML_EVALUATE_METRICS('classification', truth, label) AS metrics
FROM ML_PREDICT(
  TABLE tumours, MODEL breast_cancer,
  DESCRIPTOR(
    mean_radius, mean_texture, mean_perimeter, mean_area,
    mean_smoothness, mean_compactness, mean_concavity, mean_concave_points,
    mean_symmetry, mean_fractal_dimension, radius_error, texture_error,
    perimeter_error, area_error, smoothness_error, compactness_error,
    concavity_error, concave_points_error, symmetry_error, fractal_dimension_error,
    worst_radius, worst_texture, worst_perimeter, worst_area,
    worst_smoothness, worst_compactness, worst_concavity, worst_concave_points,
    worst_symmetry, worst_fractal_dimension));
