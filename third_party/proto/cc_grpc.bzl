"""Protobuf + gRPC C++ code generation with Debian's protoc and grpc_cpp_plugin."""

def cc_grpc_system_library(name, srcs, proto_root, deps = [], visibility = None, testonly = False):
    """Generates .pb and .grpc.pb sources for `srcs`.

    Args:
      name: the cc_library holding the generated code.
      srcs: .proto files of this package; all of them are visible to protoc.
      proto_root: workspace folder the protos' import paths are relative to (e.g. "proto");
        generated headers are included by their import path ("kepler/model/v1/x.pb.h").
      deps: extra cc deps.
      visibility: of the cc_library.
      testonly: of the generated sources and the cc_library (protos only tests use).
    """
    outs = []
    for src in srcs:
        base = src[:-len(".proto")]
        outs += [base + ext for ext in [".pb.h", ".pb.cc", ".grpc.pb.h", ".grpc.pb.cc"]]
    native.genrule(
        name = name + "_gen",
        srcs = srcs,
        outs = outs,
        testonly = testonly,
        cmd = ("/usr/bin/protoc -I{root} --cpp_out=$(GENDIR)/{root} --grpc_out=$(GENDIR)/{root} " +
               "--plugin=protoc-gen-grpc=/usr/bin/grpc_cpp_plugin $(SRCS)").format(root = proto_root),
    )
    native.cc_library(
        name = name,
        srcs = [o for o in outs if o.endswith(".cc")],
        hdrs = [o for o in outs if o.endswith(".h")],
        strip_include_prefix = "/" + proto_root,
        deps = deps + ["//third_party/system:grpcpp"],
        visibility = visibility,
        testonly = testonly,
    )
