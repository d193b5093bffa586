"""Prints the installed vLLM's chat completions request fields as JSON: top level and the nested
objects the engine validates too. Run with the vLLM venv's python (test/vllm/fields.spec.ts does)."""
import importlib
import json

MODULES = ("vllm.entrypoints.openai.chat_completion.protocol", "vllm.entrypoints.openai.protocol")


def request_model():
    for name in MODULES:
        try:
            return importlib.import_module(name).ChatCompletionRequest
        except (ImportError, AttributeError):
            continue
    raise SystemExit("ChatCompletionRequest not found in " + ", ".join(MODULES))


def nested(model, field):
    """The pydantic model (or dataclass) behind an optional field, if any."""
    import typing

    for arg in typing.get_args(model.model_fields[field].annotation) or (model.model_fields[field].annotation,):
        if hasattr(arg, "model_fields"):
            return sorted(arg.model_fields)
        if hasattr(arg, "__dataclass_fields__"):
            return sorted(arg.__dataclass_fields__)
    return None


req = request_model()
out = {"version": importlib.import_module("vllm").__version__, "request": sorted(req.model_fields)}
for field in ("structured_outputs", "stream_options", "repetition_detection"):
    if field in req.model_fields:
        out[field] = nested(req, field)
print(json.dumps(out))
