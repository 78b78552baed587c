"""The demo job: ML_PREDICT with a Python model over sample reviews, on embedded local Flink.

    python e2e/demo/run.py

Creates a CSV-backed table, a generic-python model over ./model, runs ML_PREDICT, prints each
prediction and the accuracy, and exits non-zero if the accuracy is below 0.9.
"""
import os
import sys

from pyflink.table import EnvironmentSettings, TableEnvironment

HERE = os.path.dirname(os.path.abspath(__file__))


def main() -> int:
    t_env = TableEnvironment.create(EnvironmentSettings.in_batch_mode())
    t_env.get_config().set("parallelism.default", "1")
    t_env.execute_sql(f"""
        CREATE TEMPORARY TABLE reviews (id INT, review STRING, truth STRING) WITH (
          'connector' = 'filesystem', 'path' = '{os.path.join(HERE, "reviews.csv")}',
          'format' = 'csv')""")
    t_env.execute_sql(f"""
        CREATE TEMPORARY MODEL sentiment
        INPUT (review STRING)
        OUTPUT (label STRING, score FLOAT)
        WITH (
          'provider' = 'generic-python',
          'model-directory-path' = '{os.path.join(HERE, "model")}',
          'python-predict-class' = 'lexicon_sentiment.LexiconSentiment',
          'properties.threshold' = '0')""")
    query = """
        SELECT id, review, label, score, truth
        FROM ML_PREDICT(TABLE reviews, MODEL sentiment, DESCRIPTOR(review))"""
    print(query.strip())
    with t_env.execute_sql(query).collect() as results:
        rows = sorted(tuple(r) for r in results)
    correct = 0
    for id_, review, label, score, truth in rows:
        correct += label == truth
        print(f"{id_:>3}  {label:<8} {score:+.2f}  {'ok ' if label == truth else 'BAD'}  {review}")
    accuracy = correct / len(rows)
    print(f"\n{len(rows)} reviews, accuracy {accuracy:.2f}")
    return 0 if accuracy >= 0.9 and len(rows) == 12 else 1


if __name__ == "__main__":
    sys.exit(main())
