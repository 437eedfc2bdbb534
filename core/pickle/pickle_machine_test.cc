#include "core/pickle/pickle_machine.h"

#include <string>
#include <utility>
#include <vector>

#include "core/pickle/joblib_file.h"
#include "core/pickle/numpy_array.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include <zlib.h>

namespace kepler::model::core::pickle {
namespace {

using ::testing::HasSubstr;
using namespace std::string_literals;  // "..."s keeps embedded NUL bytes
using Kind = PickleValue::Kind;

PickleOptions Options() {
  PickleOptions options;
  options.allowed_globals = {{"numpy.dtype", kAsValue | kReduce},
                             {"mod.Class", kAsValue | kNewObj},
                             {"mod.func", kAsValue}};
  return options;
}

// Protocol 4 header, then `body`, then STOP.
std::string P4(const std::string& body) { return std::string("\x80\x04", 2) + body + "."; }

std::string ShortString(const std::string& s) {
  return std::string(1, '\x8c') + static_cast<char>(s.size()) + s;
}

TEST(PickleMachineTest, ReadsScalarsAndContainers) {
  // {"a": [1, -2, 3.5, True, None], "b": (b"xy",)}
  std::string body = "}(" + ShortString("a") + "](K\x01J\xfe\xff\xff\xff" +
                     std::string("G\x40\x0c\x00\x00\x00\x00\x00\x00", 9) + "\x88N" + "e" +
                     ShortString("b") + "C\x02xy\x85u";
  auto tree = ParsePickle(P4(body), Options());
  ASSERT_TRUE(tree.ok()) << tree.status();
  const PickleValue& root = (*tree)->root();
  ASSERT_EQ(root.kind, Kind::kDict);
  const PickleValue* a = root.Get("a");
  ASSERT_NE(a, nullptr);
  ASSERT_EQ(a->items.size(), 5u);
  EXPECT_EQ(a->items[0]->integer, 1);
  EXPECT_EQ(a->items[1]->integer, -2);
  EXPECT_EQ(a->items[2]->number, 3.5);
  EXPECT_TRUE(a->items[3]->boolean);
  EXPECT_EQ(a->items[4]->kind, Kind::kNone);
  EXPECT_EQ(root.Get("b")->items[0]->text, "xy");
}

TEST(PickleMachineTest, KeepsWideIntegersAsBytes) {
  // LONG1 of 17 bytes (a 128-bit SeedSequence entropy), then a 2-byte negative LONG1.
  std::string wide = "\x8a\x11" + std::string(16, '\x7f') + std::string(1, '\x00');
  auto tree = ParsePickle(P4("(" + wide + std::string("\x8a\x02\x00\xff", 4) + "t"), Options());
  ASSERT_TRUE(tree.ok()) << tree.status();
  EXPECT_EQ((*tree)->root().items[0]->kind, Kind::kBigInt);
  EXPECT_EQ((*tree)->root().items[1]->integer, -256);
}

TEST(PickleMachineTest, RecordsNewObjWithoutCallingIt) {
  std::string body = ShortString("mod") + ShortString("Class") + "\x93)\x81}" +
                     ShortString("x") + "K\x07sb";
  auto tree = ParsePickle(P4(body), Options());
  ASSERT_TRUE(tree.ok()) << tree.status();
  const PickleValue& root = (*tree)->root();
  EXPECT_EQ(root.CallableName(), "mod.Class");
  EXPECT_EQ(root.call, PickleValue::Call::kNewObj);
  EXPECT_EQ(root.state->Get("x")->integer, 7);
}

TEST(PickleMachineTest, RefusesGlobalsOutsideTheWhitelist) {
  std::string body = ShortString("posix") + ShortString("system") + "\x93" + ShortString("ls") +
                     "\x85R";
  auto tree = ParsePickle(P4(body), Options());
  EXPECT_EQ(tree.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(tree.status().message(), HasSubstr("unsupported pickle global posix.system"));
}

TEST(PickleMachineTest, RefusesUsesTheWhitelistDoesNotAllow) {
  // A class called by REDUCE, and a value-only function called at all.
  auto reduce = ParsePickle(P4(ShortString("mod") + ShortString("Class") + "\x93)R"), Options());
  EXPECT_THAT(reduce.status().message(), HasSubstr("REDUCE of mod.Class is not allowed"));
  auto call = ParsePickle(P4(ShortString("mod") + ShortString("func") + "\x93)\x81"), Options());
  EXPECT_THAT(call.status().message(), HasSubstr("NEWOBJ of mod.func is not allowed"));
}

TEST(PickleMachineTest, RefusesUnknownOpcodesAndProtocols) {
  EXPECT_THAT(ParsePickle(P4("Q"), Options()).status().message(),
              HasSubstr("unsupported pickle opcode 0x51"));
  EXPECT_THAT(ParsePickle(std::string("\x80\x06N.", 4), Options()).status().message(),
              HasSubstr("unsupported pickle protocol 6"));
  EXPECT_THAT(ParsePickle(P4("\x97"), Options()).status().message(),
              HasSubstr("opcode 0x97"));  // NEXT_BUFFER: out-of-band data is never available
}

TEST(PickleMachineTest, RefusesTruncatedAndMalformedInput) {
  for (const std::string bad : {std::string("\x80\x04", 2), P4("X\xff\xff\xff\x7f"), P4("a"),
                                P4("h\x05"), P4("(t0t"), std::string("\x80\x04)", 3)}) {
    auto tree = ParsePickle(bad, Options());
    EXPECT_EQ(tree.status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
}

TEST(PickleMachineTest, BoundsValuesBytesAndDepth) {
  PickleOptions options = Options();
  options.max_values = 100;
  std::string many;
  for (int i = 0; i < 200; ++i) many += ")0";
  EXPECT_THAT(ParsePickle(P4(many + "N"), options).status().message(), HasSubstr("values"));
  options = Options();
  options.max_value_bytes = 10;
  EXPECT_THAT(ParsePickle(P4("C\x20" + std::string(32, 'x')), options).status().message(),
              HasSubstr("bytes of values"));
  options = Options();
  options.max_stack = 50;
  EXPECT_THAT(ParsePickle(P4(std::string(100, '(') + "N"), options).status().message(),
              HasSubstr("nesting deeper"));
  options = Options();
  options.max_bytes = 8;
  EXPECT_THAT(ParsePickle(P4(std::string(10, 'N')), options).status().message(),
              HasSubstr("over the limit"));
}

TEST(PickleMachineTest, MemoSharesInsteadOfCopying) {
  // x = []; then 40 times x = [x, x]: 2^40 logical leaves, 80 stored values.
  std::string body = "]\x94";  // memo 0: x = []
  for (int i = 0; i < 40; ++i) {  // memo i + 1: [memo i, memo i]
    const std::string get = "h" + std::string(1, static_cast<char>(i));
    body += "(" + get + get + "l\x94" + "0";
  }
  body += "h" + std::string(1, static_cast<char>(40));
  auto tree = ParsePickle(P4(body), Options());
  ASSERT_TRUE(tree.ok()) << tree.status();
  EXPECT_LT((*tree)->value_count(), 200u);
}

// numpy.dtype('f8') REDUCE + BUILD state with byte order `order`.
std::string Dtype(const std::string& type, char order) {
  return ShortString("numpy") + ShortString("dtype") + "\x93" + ShortString(type) +
         "\x89\x88\x87R" + "(K\x03" + ShortString(std::string(1, order)) +
         "NNNJ\xff\xff\xff\xffJ\xff\xff\xff\xffK\x00tb"s;
}

// numpy._core.multiarray._reconstruct(ndarray, (0,), b'b') + BUILD (1, shape, dtype, False, data).
std::string Array(const std::string& dtype, int n, const std::string& data) {
  return ShortString("numpy._core.multiarray") + ShortString("_reconstruct") + "\x93" +
         ShortString("numpy") + ShortString("ndarray") + "\x93K\x00\x85" "C\x01" "b\x87R"s + "(K\x01K" +
         std::string(1, static_cast<char>(n)) + "\x85" + dtype + "\x89" "B" +
         std::string(1, static_cast<char>(data.size())) + std::string(3, '\0') + data + "tb";
}

PickleOptions NumpyOptions() {
  PickleOptions options;
  options.allowed_globals = {{"numpy.dtype", kAsValue | kReduce},
                             {"numpy.ndarray", kAsValue},
                             {"numpy._core.multiarray._reconstruct", kAsValue | kReduce}};
  return options;
}

TEST(NumpyArrayTest, ReadsBothByteOrders) {
  const double values[2] = {1.5, -2.25e300};
  std::string little(reinterpret_cast<const char*>(values), 16), big;
  for (int v = 0; v < 2; ++v) {
    for (int b = 7; b >= 0; --b) big.push_back(little[v * 8 + b]);
  }
  for (const auto& [order, data] : {std::pair{'<', little}, std::pair{'>', big}}) {
    auto tree = ParsePickle(P4(Array(Dtype("f8", order), 2, data)), NumpyOptions());
    ASSERT_TRUE(tree.ok()) << tree.status();
    auto array = ArrayOf((*tree)->root());
    ASSERT_TRUE(array.ok()) << array.status();
    EXPECT_EQ(array->dtype.big_endian, order == '>');
    auto doubles = ToDoubles(*array);
    ASSERT_TRUE(doubles.ok()) << doubles.status();
    EXPECT_EQ(*doubles, std::vector<double>({1.5, -2.25e300})) << order;
  }
  // Big-endian 32-bit integers too.
  auto tree = ParsePickle(P4(Array(Dtype("i4", '>'), 2, std::string("\x00\x00\x01\x00\xff\xff\xff\xfe", 8))),
                          NumpyOptions());
  ASSERT_TRUE(tree.ok()) << tree.status();
  auto ints = ToInt64s(*ArrayOf((*tree)->root()));
  ASSERT_TRUE(ints.ok()) << ints.status();
  EXPECT_EQ(*ints, std::vector<int64_t>({256, -2}));
}

TEST(NumpyArrayTest, RefusesDataThatDoesNotMatchTheShape) {
  auto tree = ParsePickle(P4(Array(Dtype("f8", '<'), 3, std::string(16, '\0'))), NumpyOptions());
  ASSERT_TRUE(tree.ok()) << tree.status();
  EXPECT_THAT(ArrayOf((*tree)->root()).status().message(), HasSubstr("does not match shape"));
  auto unknown = ParsePickle(P4(Array(Dtype("M8", '<'), 2, std::string(16, '\0'))), NumpyOptions());
  ASSERT_TRUE(unknown.ok()) << unknown.status();
  EXPECT_THAT(ArrayOf((*unknown)->root()).status().message(), HasSubstr("unsupported dtype M8"));
}

TEST(JoblibFileTest, InflatesZlibWithinTheLimit) {
  std::string pickle = P4("C\x05hello");
  uLongf size = compressBound(pickle.size());
  std::string compressed(size, '\0');
  ASSERT_EQ(compress2(reinterpret_cast<Bytef*>(&compressed[0]), &size,
                      reinterpret_cast<const Bytef*>(pickle.data()), pickle.size(), 3),
            Z_OK);
  compressed.resize(size);
  auto tree = ParseJoblib(compressed, Options());
  ASSERT_TRUE(tree.ok()) << tree.status();
  EXPECT_EQ((*tree)->root().text, "hello");
  // A stream that inflates past max_bytes is refused, not inflated.
  std::string zeros(1 << 20, '\0');
  size = compressBound(zeros.size());
  std::string bomb(size, '\0');
  ASSERT_EQ(compress2(reinterpret_cast<Bytef*>(&bomb[0]), &size,
                      reinterpret_cast<const Bytef*>(zeros.data()), zeros.size(), 9),
            Z_OK);
  bomb.resize(size);
  PickleOptions small = Options();
  small.max_bytes = 1 << 16;
  EXPECT_THAT(ParseJoblib(bomb, small).status().message(), HasSubstr("more than the limit"));
  EXPECT_THAT(ParseJoblib(compressed.substr(0, compressed.size() / 2), Options()).status().message(),
              HasSubstr("truncated"));
  EXPECT_THAT(ParseJoblib("BZh91AY&SY", Options()).status().message(), HasSubstr("bz2"));
}

}  // namespace
}  // namespace kepler::model::core::pickle
