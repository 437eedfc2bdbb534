#include "estimator/model_request_body.h"

#include "estimator/model_acquirer.h"

#include "core/energy_source.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"

namespace kepler::model::estimator {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void Key(Writer& writer, const char* key, const std::string& value) {
  writer.Key(key);
  writer.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
}

void WriteSpec(Writer& writer, const v1::MachineSpec& spec) {
  writer.StartObject();
  Key(writer, "processor", spec.processor());
  const std::pair<const char*, int64_t> numbers[] = {
      {"cores", spec.cores()},   {"chips", spec.chips()}, {"memory", spec.memory()},
      {"frequency", spec.frequency()}, {"threads_per_core", spec.threads_per_core()}};
  for (const auto& [key, value] : numbers) {
    writer.Key(key);
    writer.Int64(value);
  }
  Key(writer, "vendor", spec.vendor());
  writer.EndObject();
}

}  // namespace

std::string ModelRequestBody(const AcquireRequest& request, const v1::MachineSpec& spec,
                             bool weight) {
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  writer.StartObject();
  writer.Key("metrics");
  writer.StartArray();
  for (const std::string& feature : request.features) {
    writer.String(feature.c_str(), static_cast<rapidjson::SizeType>(feature.size()));
  }
  writer.EndArray();
  Key(writer, "output_type", core::OutputTypeName(request.output_type));
  Key(writer, "source", request.source);
  Key(writer, "filter", request.filter);
  Key(writer, "trainer_name", request.trainer_name);
  writer.Key("machine_spec");
  WriteSpec(writer, spec);
  writer.Key("weight");
  writer.Bool(weight);
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace kepler::model::estimator
