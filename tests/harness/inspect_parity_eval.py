# Copyright 2026 the evalhooks authors. MIT license.
"""A small real Inspect AI eval for the parity test, offline (mockllm/model).

4 samples x 2 epochs, one tool call per sample, 2 scorers. Run it with MLFLOW_TRACKING_URI set
and the Python inspect_mlflow hook logs it live; the .eval log it writes is then imported with
our CLI and the two are compared.

    python inspect_parity_eval.py LOG_DIR [SAMPLES] [EPOCHS]

With SAMPLES (the benchmark uses 1,000), the questions are generated sums instead of the 4 fixed
ones.
"""

import builtins
import sys

import inspect_ai.model._model as _model
import inspect_ai.model._tokens as _tokens
from inspect_ai import Task, eval, task
from inspect_ai.dataset import Sample
from inspect_ai.model import ModelOutput, get_model
from inspect_ai.scorer import includes, match
from inspect_ai.solver import generate, use_tools
from inspect_ai.tool import tool


# The mock model estimates tokens with tiktoken's o200k_base, which tiktoken downloads on first
# use; these machines have no internet. A 4-characters-per-token estimate stands in: it only
# feeds the mock model's usage numbers, which both sides of the parity test read from the log.
def _estimate_tokens(text: str) -> int:
    return max(1, len(text) // 4)


_tokens.count_text_tokens = _estimate_tokens
_model.count_text_tokens = _estimate_tokens

SAMPLES = [("1 + 1", "2"), ("2 + 3", "5"), ("7 * 6", "42"), ("10 - 4", "6")]
EPOCHS = 2
if len(sys.argv) > 2:
    SAMPLES = [(f"{i} + {i}", str(2 * i)) for i in range(int(sys.argv[2]))]
    EPOCHS = int(sys.argv[3]) if len(sys.argv) > 3 else 1


@tool
def calculator():
    async def execute(expression: str) -> str:
        """Evaluate an arithmetic expression.

        Args:
          expression: The expression, e.g. "1 + 1".
        """
        return str(builtins.eval(expression, {"__builtins__": {}}))  # noqa: S307 (fixed inputs)

    return execute


def outputs():
    # One tool call, then the answer, for every sample of every epoch (samples run one at a time).
    for _epoch in range(EPOCHS):
        for i, (question, answer) in enumerate(SAMPLES):
            yield ModelOutput.for_tool_call(
                model="mockllm/model",
                tool_name="calculator",
                tool_arguments={"expression": question},
            )
            # One wrong answer, so the scores are not all equal.
            yield ModelOutput.from_content(model="mockllm/model", content=answer if i != 2 else "41")


@task
def parity_arithmetic():
    return Task(
        dataset=[Sample(input=f"What is {q}?", target=a, id=i + 1) for i, (q, a) in enumerate(SAMPLES)],
        solver=[use_tools(calculator()), generate()],
        scorer=[match(), includes()],
        epochs=EPOCHS,
    )


if __name__ == "__main__":
    log_dir = sys.argv[1]
    model = get_model("mockllm/model", custom_outputs=outputs())
    [log] = eval(parity_arithmetic(), model=model, log_dir=log_dir, max_samples=1, display="none")
    print(log.location)
