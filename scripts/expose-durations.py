"""Adds a `durations` output to a voice model: the per-phoneme durations its graph already computes.

    expose-durations.py hibari|piper|kokoro SOURCE.onnx DEST.onnx

None of the shipped models outputs its durations, yet both compute them to expand phonemes into frames;
word timings for captions come from them (no speech recognition). The graph is otherwise unchanged:
one Identity node and one graph output are added, so the audio is bit-identical. Run by the
bootstrap with PyPI's `onnx`; writes DEST through a temporary file.
"""
import os
import sys

import onnx
from onnx import TensorProto, helper

# The tensor holding the durations, and what one unit of it is, per model family.
TENSORS = {
    # hibari: Round(log-duration / speed) -> Clip(min 1) -> Cast int64; one unit = 2 frames of 300 samples
    "hibari": ("/Cast_32_output_0", TensorProto.INT64, ["L"]),
    # Piper (VITS): Ceil(exp(logw) * mask * length_scale) before the CumSum; one unit = 1 frame (hop 256)
    "piper": ("/Ceil_output_0", TensorProto.FLOAT, ["batch", 1, "phonemes"]),
    # Kokoro-82M (kokoro-onnx export): Round(sum(sigmoid(duration)) / speed) -> Clip(min 1) -> Cast int64,
    # then row 0 taken before the CumSum that expands tokens into frames; one unit = 1 frame of 600 samples
    "kokoro": ("/encoder/Gather_output_0", TensorProto.INT64, ["tokens"]),
}


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in TENSORS:
        sys.exit("usage: expose-durations.py hibari|piper|kokoro SOURCE.onnx DEST.onnx")
    family, source, dest = sys.argv[1:]
    tensor, elem, shape = TENSORS[family]
    model = onnx.load(source)
    graph = model.graph
    if any(o.name == "durations" for o in graph.output):
        sys.exit(f"{source} already has a 'durations' output")
    if not any(tensor in node.output for node in graph.node):
        sys.exit(f"{source}: no tensor {tensor!r}; not the {family} graph this script knows")
    graph.node.append(helper.make_node("Identity", [tensor], ["durations"], name="expose_durations"))
    graph.output.append(helper.make_tensor_value_info("durations", elem, shape))
    onnx.checker.check_model(model)
    tmp = dest + ".tmp"
    onnx.save(model, tmp)
    os.replace(tmp, dest)


if __name__ == "__main__":
    main()
