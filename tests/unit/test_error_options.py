"""What the error options mean, as the provider sends them (it validates them at plan time;
tests/integration/test_error_policy.py runs each through real jobs)."""
import pytest

from pyflink_ml_predict.runtime.error_policy import ErrorPolicy


@pytest.mark.parametrize("options,attempts,ignores,described", [
    (None, 1, False, "error-handling-strategy 'failover'"),
    ({"strategy": "ignore"}, 1, True, "error-handling-strategy 'ignore'"),
    ({"strategy": "retry", "retry_num": 2, "retry_fallback": "ignore"}, 3, True,
     "error-handling-strategy 'retry', 3 attempts, then ignore"),
    ({"strategy": "retry", "retry_num": 0, "retry_fallback": "failover"}, 1, False,
     "error-handling-strategy 'retry', 1 attempt, then failover"),
])
def test_options_give_attempts_and_whether_a_failed_row_is_skipped(options, attempts, ignores,
                                                                    described):
    policy = ErrorPolicy(options)
    assert (policy.attempts, policy.ignores, policy.describe()) == (attempts, ignores, described)
