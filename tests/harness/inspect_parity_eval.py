# Copyright 2026 the evalhooks authors. MIT license.
"""A small real Inspect AI eval for the parity test, offline (mockllm/model).

4 samples x 2 epochs, one tool call per sample, 2 scorers. Run it with MLFLOW_TRACKING_URI set
and the Python inspect_mlflow hook logs it live; the .eval log it writes is then imported with
our CLI and the two are compared.

    python inspect_parity_eval.py LOG_DIR [SAMPLES] [EPOCHS]
    python inspect_parity_eval.py --two-tasks LOG_DIR

With SAMPLES (the benchmark uses 1,000), the questions are generated sums instead of the 4 fixed
ones. With --two-tasks, one eval run of two tasks (so both logs share a run id and one parent run),
with task args of every JSON type, a generate config and eval tags; it prints both logs' paths.
"""

import builtins
import re
import sys

import inspect_ai.model._model as _model
import inspect_ai.model._tokens as _tokens
from inspect_ai import Task, eval, task
from inspect_ai.dataset import Sample
from inspect_ai.model import GenerateConfig, ModelOutput, get_model
from inspect_ai.scorer import Score, includes, match, mean, scorer, stderr
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
TWO_TASKS = sys.argv[1] == "--two-tasks"
if TWO_TASKS:
    sys.argv.pop(1)
elif len(sys.argv) > 2:
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


def answer_from_messages(input, tools, tool_choice, config) -> ModelOutput:
    # Answers from the conversation so far, whatever order samples and tasks run in: the tool call
    # for a fresh question, then the tool's result ("41" for 42, so one answer is wrong).
    last = input[-1]
    if last.role == "tool":
        result = last.text
        answer = "41" if result == "42" else result
        return ModelOutput.from_content(model="mockllm/model", content=answer)
    expression = re.search(r"What is (.+)\?", input[-1].text).group(1)
    return ModelOutput.for_tool_call(
        model="mockllm/model", tool_name="calculator", tool_arguments={"expression": expression}
    )


@scorer(metrics=[mean(), stderr()])
def closeness():
    # A float score with an explanation: 1.0 when right, 0.5 when off by one, else 0.0.
    async def score(state, target):
        try:
            off = abs(float(state.output.completion) - float(target.text))
        except ValueError:
            return Score(value=0.0, answer=state.output.completion, explanation="not a number")
        value = 1.0 if off == 0 else 0.5 if off <= 1 else 0.0
        return Score(value=value, answer=state.output.completion, explanation=f"off by {off:g}")

    return score


# Task args of every JSON type; Python's hook logs them with str(): '1.0', 'None', 'True', ...
@task
def parity_sums(
    ratio=0.25, half=0.5, count=1, label="", nothing=0, flag=False, off=True,
    options=None, weights=None,
):
    questions = [("1 + 1", "2"), ("2 + 3", "5"), ("7 * 6", "42")]
    return Task(
        dataset=[
            Sample(input=f"What is {q}?", target=a, id=i + 1) for i, (q, a) in enumerate(questions)
        ],
        solver=[use_tools(calculator()), generate()],
        scorer=[match(), includes()],
        epochs=2,
    )


@task
def parity_products(scale=1, unit="none", limits=None):
    questions = [("3 * 3", "9"), ("6 * 7", "42")]
    return Task(
        dataset=[
            Sample(input=f"What is {q}?", target=a, id=f"p-{i}")
            for i, (q, a) in enumerate(questions)
        ],
        solver=[use_tools(calculator()), generate()],
        scorer=[match(), closeness()],
    )


def two_tasks(log_dir: str) -> None:
    config = GenerateConfig(temperature=0.0, top_p=1.0, max_tokens=256)
    model = get_model("mockllm/model", config=config, custom_outputs=answer_from_messages)
    logs = eval(
        [
            parity_sums(
                ratio=1.0,
                half=0.5,
                count=3,
                label="alpha",
                nothing=None,
                flag=True,
                off=False,
                options={"mode": "fast", "k": 2, "nested": {"deep": [1, 2.0], "none": None}},
                weights=[1, 0.5, 2.0],
            ),
            parity_products(scale=2.0, unit="units", limits={"lo": 0, "hi": 1e-07, "big": 1e16}),
        ],
        model=model,
        log_dir=log_dir,
        max_samples=1,
        max_tasks=1,
        tags=["parity", "round-two"],
        display="none",
    )
    for log in logs:
        print(log.location)


if __name__ == "__main__" and TWO_TASKS:
    two_tasks(sys.argv[1])
elif __name__ == "__main__":
    log_dir = sys.argv[1]
    model = get_model("mockllm/model", custom_outputs=outputs())
    [log] = eval(parity_arithmetic(), model=model, log_dir=log_dir, max_samples=1, display="none")
    print(log.location)
