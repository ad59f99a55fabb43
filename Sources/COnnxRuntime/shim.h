// ONNX Runtime's C API. The header is not committed: scripts/bootstrap.sh extracts it from Debian's
// libonnxruntime-dev (API version 21) into .deps/onnxruntime/include; the library (1.31.1) comes from
// PyPI's onnxruntime wheel and is linked with an rpath (Package.swift). Run `make bootstrap` first.
#include "../../.deps/onnxruntime/include/onnxruntime_c_api.h"
