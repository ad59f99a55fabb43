#!/usr/bin/env python3
"""Writes a tiny CLIP export for tests: same files, input/output names, dtypes and dynamic batch as a
real ONNX export of openai/clip-vit-base-patch32 (vision_model.onnx, text_model.onnx, tokenizer.json,
tokenizer_config.json, preprocessor_config.json), with weights chosen so tests can assert behaviour.

  vision_model.onnx  pixel_values float [batch, 3, height, width] -> image_embeds float [batch, 5]
      The per-channel mean of the normalised pixels, un-normalised with the config's mean and std
      (so the picture's mean colour in 0..1), projected to (r, g, b, 0.05, 0). A second output,
      pixel_mean [batch, 3], is the plain mean of each normalised channel, for preprocessing checks.
  text_model.onnx    input_ids int64 [batch, sequence] (+ attention_mask int64, unless
                     --no-attention-mask) -> text_embeds float [batch, 5]
      Like CLIP's, pooled at the first end token (argmax of the ids) over a causal sum: the sum of
      the token rows up to there. "red", "green", "blue" are the unit vectors of dimensions 0, 1, 2;
      every other word is 0.1 in dimension 3; the special tokens and id 0 are zero. Tokens after
      the end token (padding) cannot change the result, as in the real model. With an attention
      mask, dimension 4 is 0.01 * (the number of masked-out positions) - 0.01 * (sequence -
      tokens up to the end token), i.e. 0 exactly when the mask marks the real tokens.
  tokenizer.json     Hugging Face's layout, built from OpenAI's bpe_simple_vocab_16e6.txt.gz the way
                     transformers' CLIP converter does (vocab = OpenAI's encoder, merges in rank order).

Usage: make-tiny-clip.py OUT [--merges strings|pairs] [--padding none|eot] [--no-attention-mask]
                             [--layout top|onnx] [--mean a,b,c] [--std a,b,c] [--size N]
Needs numpy and onnx (.deps/venv) and .deps/reference/clip (scripts/bootstrap-relevance.sh).
"""
import argparse
import gzip
import json
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VOCAB = os.path.join(ROOT, ".deps", "reference", "clip", "bpe_simple_vocab_16e6.txt.gz")
DIM = 5


def bytes_to_unicode():
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(2**8):
        if b not in bs:
            bs.append(b)
            cs.append(2**8 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


def clip_vocabulary():
    """OpenAI's encoder and merges, exactly as simple_tokenizer.py builds them."""
    merges = gzip.open(VOCAB).read().decode("utf-8").split("\n")
    merges = [tuple(m.split()) for m in merges[1:49152 - 256 - 2 + 1]]
    vocab = list(bytes_to_unicode().values())
    vocab = vocab + [v + "</w>" for v in vocab]
    vocab += ["".join(m) for m in merges]
    vocab += ["<|startoftext|>", "<|endoftext|>"]
    return {token: i for i, token in enumerate(vocab)}, merges


def tokenizer_json(vocab, merges, merge_style, padding):
    special = [{"id": vocab[t], "content": t, "single_word": False, "lstrip": False, "rstrip": False,
                "normalized": t == "<|startoftext|>", "special": True}
               for t in ("<|startoftext|>", "<|endoftext|>")]
    pattern = r"""<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+"""
    eot = vocab["<|endoftext|>"]
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None if padding == "none" else {
            "strategy": {"Fixed": 77}, "direction": "Right", "pad_to_multiple_of": None,
            "pad_id": eot, "pad_type_id": 0, "pad_token": "<|endoftext|>"},
        "added_tokens": special,
        "normalizer": {"type": "Sequence", "normalizers": [
            {"type": "NFC"}, {"type": "Replace", "pattern": {"Regex": r"\s+"}, "content": " "}, {"type": "Lowercase"}]},
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
            {"type": "Split", "pattern": {"Regex": pattern}, "behavior": "Removed", "invert": True},
            {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": False}]},
        "post_processor": {"type": "RobertaProcessing", "sep": ["<|endoftext|>", eot],
                           "cls": ["<|startoftext|>", vocab["<|startoftext|>"]], "trim_offsets": False,
                           "add_prefix_space": False},
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        "model": {"type": "BPE", "dropout": None, "unk_token": "<|endoftext|>", "continuing_subword_prefix": "",
                  "end_of_word_suffix": "</w>", "fuse_unk": False, "byte_fallback": False,
                  "vocab": vocab,
                  "merges": [" ".join(m) for m in merges] if merge_style == "strings" else [list(m) for m in merges]},
    }


def save(graph, path):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="aishorts-tiny-clip")
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, path)


def vision_model(path, mean, std):
    pixels = helper.make_tensor_value_info("pixel_values", TensorProto.FLOAT, ["batch_size", 3, "height", "width"])
    embeds = helper.make_tensor_value_info("image_embeds", TensorProto.FLOAT, ["batch_size", DIM])
    pixel_mean = helper.make_tensor_value_info("pixel_mean", TensorProto.FLOAT, ["batch_size", 3])
    projection = np.zeros((3, DIM), dtype=np.float32)
    projection[0, 0] = projection[1, 1] = projection[2, 2] = 1
    bias = np.zeros(DIM, dtype=np.float32)
    bias[3] = 0.05
    inits = [numpy_helper.from_array(np.array(std, dtype=np.float32), "std"),
             numpy_helper.from_array(np.array(mean, dtype=np.float32), "mean"),
             numpy_helper.from_array(projection, "projection"), numpy_helper.from_array(bias, "bias")]
    nodes = [helper.make_node("ReduceMean", ["pixel_values"], ["pixel_mean"], axes=[2, 3], keepdims=0),
             helper.make_node("Mul", ["pixel_mean", "std"], ["scaled"]),
             helper.make_node("Add", ["scaled", "mean"], ["colour"]),
             helper.make_node("MatMul", ["colour", "projection"], ["projected"]),
             helper.make_node("Add", ["projected", "bias"], ["image_embeds"])]
    save(helper.make_graph(nodes, "tiny_clip_vision", [pixels], [embeds, pixel_mean], inits), path)


def text_model(path, vocab, with_mask):
    ids = helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch_size", "sequence_length"])
    embeds = helper.make_tensor_value_info("text_embeds", TensorProto.FLOAT, ["batch_size", DIM])
    table = np.zeros((len(vocab), DIM), dtype=np.float32)
    table[:, 3] = 0.1
    for index, word in enumerate(("red", "green", "blue")):
        table[vocab[word + "</w>"]] = 0
        table[vocab[word + "</w>"], index] = 1
    for token in (0, vocab["<|startoftext|>"], vocab["<|endoftext|>"]):
        table[token] = 0
    inits = [numpy_helper.from_array(table, "token_rows"),
             numpy_helper.from_array(np.array([1], dtype=np.int64), "one")]
    nodes = [helper.make_node("Gather", ["token_rows", "input_ids"], ["rows"]),
             helper.make_node("CumSum", ["rows", "one_scalar"], ["running"]),
             helper.make_node("ArgMax", ["input_ids"], ["end_at"], axis=1, keepdims=1),
             helper.make_node("Unsqueeze", ["end_at", "two"], ["end_at3"]),
             helper.make_node("Shape", ["running"], ["running_shape"]),
             helper.make_node("Slice", ["running_shape", "two", "three"], ["dim"]),
             helper.make_node("Concat", ["batch_dim", "one", "dim"], ["pick_shape"], axis=0),
             helper.make_node("Expand", ["end_at3", "pick_shape"], ["pick"]),
             helper.make_node("GatherElements", ["running", "pick"], ["picked"], axis=1),
             helper.make_node("Squeeze", ["picked", "one"], ["pooled"])]
    inits += [numpy_helper.from_array(np.array(1, dtype=np.int64), "one_scalar"),
              numpy_helper.from_array(np.array([2], dtype=np.int64), "two"),
              numpy_helper.from_array(np.array([3], dtype=np.int64), "three"),
              numpy_helper.from_array(np.array([0], dtype=np.int64), "zero"),
              numpy_helper.from_array(np.array([0.0, 0, 0, 0, 0.01], dtype=np.float32), "trap")]
    nodes.insert(0, helper.make_node("Shape", ["input_ids"], ["ids_shape"]))
    nodes.insert(1, helper.make_node("Slice", ["ids_shape", "zero", "one"], ["batch_dim"]))
    inputs = [ids]
    if with_mask:
        mask = helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch_size", "sequence_length"])
        inputs.append(mask)
        # 0 exactly when the mask's zeros are the positions after the first end token.
        nodes += [helper.make_node("ReduceSum", ["attention_mask", "one"], ["kept"], keepdims=1),
                  helper.make_node("Add", ["end_at", "one"], ["real"]),
                  helper.make_node("Sub", ["kept", "real"], ["wrong"]),
                  helper.make_node("Cast", ["wrong"], ["wrong_f"], to=TensorProto.FLOAT),
                  helper.make_node("Mul", ["wrong_f", "trap"], ["penalty"]),
                  helper.make_node("Add", ["pooled", "penalty"], ["text_embeds"])]
    else:
        nodes.append(helper.make_node("Identity", ["pooled"], ["text_embeds"]))
    save(helper.make_graph(nodes, "tiny_clip_text", inputs, [embeds], inits), path)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--merges", choices=["strings", "pairs"], default="strings")
    parser.add_argument("--padding", choices=["none", "eot"], default="none")
    parser.add_argument("--no-attention-mask", action="store_true")
    parser.add_argument("--layout", choices=["top", "onnx"], default="onnx")
    parser.add_argument("--mean", default="0.48145466,0.4578275,0.40821073")
    parser.add_argument("--std", default="0.26862954,0.26130258,0.27577711")
    parser.add_argument("--size", type=int, default=224)
    parser.add_argument("--tokenizer-only", action="store_true")
    args = parser.parse_args()
    if not os.path.exists(VOCAB):
        raise SystemExit(f"no CLIP vocabulary at {VOCAB}; run `make bootstrap`")
    mean = [float(x) for x in args.mean.split(",")]
    std = [float(x) for x in args.std.split(",")]
    vocab, merges = clip_vocabulary()
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(tokenizer_json(vocab, merges, args.merges, args.padding), f, ensure_ascii=False)
    with open(os.path.join(args.out, "tokenizer_config.json"), "w", encoding="utf-8") as f:
        json.dump({"model_max_length": 77, "bos_token": "<|startoftext|>", "eos_token": "<|endoftext|>",
                   "pad_token": "<|endoftext|>", "unk_token": "<|endoftext|>"}, f)
    if args.tokenizer_only:
        return
    with open(os.path.join(args.out, "preprocessor_config.json"), "w", encoding="utf-8") as f:
        json.dump({"crop_size": {"height": args.size, "width": args.size}, "do_center_crop": True,
                   "do_normalize": True, "do_resize": True, "image_mean": mean, "image_std": std,
                   "resample": 3, "size": {"shortest_edge": args.size}}, f)
    models = os.path.join(args.out, "onnx") if args.layout == "onnx" else args.out
    os.makedirs(models, exist_ok=True)
    vision_model(os.path.join(models, "vision_model.onnx"), mean, std)
    text_model(os.path.join(models, "text_model.onnx"), vocab, not args.no_attention_mask)


if __name__ == "__main__":
    main()
