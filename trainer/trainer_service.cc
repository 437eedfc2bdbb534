#include "trainer/trainer_service.h"

#include <malloc.h>
#include <unistd.h>

#include <filesystem>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "core/archive.h"
#include "core/energy_source.h"
#include "core/file_util.h"
#include "core/status_macros.h"
#include "core/trainer_name.h"
#include "trainer/capture.h"
#include "trainer/isolator_factory.h"
#include "trainer/pipeline.h"

namespace kepler::model::trainer {
namespace {

absl::Status Invalid(absl::string_view field, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("field '", field, "': ", why));
}

absl::StatusOr<Capture> ParseCapture(const v1::Capture& capture, absl::string_view field) {
  if (capture.json().empty()) return Invalid(field, "the capture is missing");
  auto parsed = Capture::Parse(capture.json());
  if (!parsed.ok()) return Invalid(field, parsed.status().message());
  return parsed;
}

absl::Status Validate(const v1::TrainRequest& request) {
  if (absl::Status name = core::ValidatePipelineName(request.name()); !name.ok()) {
    return Invalid("name", name.message());
  }
  if (!core::IsKnownSource(request.energy_source())) {
    return Invalid("energy_source", absl::StrCat("'", request.energy_source(), "' is unknown"));
  }
  if (request.trainer().abs_trainers_size() + request.trainer().dyn_trainers_size() == 0) {
    return Invalid("trainer", "no abs_trainers or dyn_trainers");
  }
  for (const auto* list : {&request.trainer().abs_trainers(), &request.trainer().dyn_trainers()}) {
    for (int trainer : *list) {
      if (core::TrainerNameString(static_cast<v1::TrainerName>(trainer)).empty()) {
        return Invalid("trainer", "unknown trainer");
      }
    }
  }
  return CanonicalIsolatorName(request.trainer().isolator().empty() ? "min"
                                                                    : request.trainer().isolator())
      .status();
}

PipelineOptions PipelineOptionsFor(const v1::TrainRequest& request, const std::string& isolator,
                                   int threads, uint64_t seed) {
  PipelineOptions options;
  options.name = request.name();
  options.energy_sources = {request.energy_source()};
  for (int t : request.trainer().abs_trainers()) options.abs_trainers.push_back(static_cast<v1::TrainerName>(t));
  for (int t : request.trainer().dyn_trainers()) options.dyn_trainers.push_back(static_cast<v1::TrainerName>(t));
  options.isolator_name = isolator;
  options.use_vm_metrics = request.use_vm_metrics();
  options.threads = threads;
  options.seed = seed;
  return options;
}

}  // namespace

absl::StatusOr<v1::TrainResult> TrainerService::Train(const v1::TrainRequest& request,
                                                      const ProgressCallback& progress) {
  RETURN_IF_ERROR(Validate(request));
  {
    absl::MutexLock lock(&mu_);
    if (running_ >= options_.max_concurrent && waiting_ >= options_.max_queued) {
      return absl::ResourceExhaustedError(absl::StrCat(
          running_, " trainings running and ", waiting_, " queued; try again later"));
    }
    ++waiting_;
    auto can_run = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return running_ < options_.max_concurrent;
    };
    mu_.Await(absl::Condition(&can_run));
    --waiting_;
    ++running_;
  }
  auto result = TrainNow(request, progress);
  // A training frees hundreds of MB across the malloc arenas of its worker threads; glibc
  // keeps them otherwise, and the resident size would grow with every request.
  ::malloc_trim(0);
  absl::MutexLock lock(&mu_);
  --running_;
  return result;
}

absl::StatusOr<v1::TrainResult> TrainerService::TrainNow(const v1::TrainRequest& request,
                                                         const ProgressCallback& progress) {
  ASSIGN_OR_RETURN(Capture workload, ParseCapture(request.prom_response(), "prom_response"));
  std::optional<Capture> idle;
  if (!request.trainer().idle_prom_response().json().empty()) {
    ASSIGN_OR_RETURN(idle, ParseCapture(request.trainer().idle_prom_response(),
                                        "trainer.idle_prom_response"));
  }
  IsolatorRequest isolation;
  isolation.name = request.trainer().isolator().empty() ? "min" : request.trainer().isolator();
  isolation.args = {request.trainer().isolator_args().begin(), request.trainer().isolator_args().end()};
  isolation.idle = idle ? &*idle : nullptr;
  isolation.energy_source = request.energy_source();
  isolation.model_path = options_.model_path;
  ASSIGN_OR_RETURN(std::unique_ptr<Isolator> isolator, MakeIsolatorFor(isolation));
  PipelineOptions pipeline = PipelineOptionsFor(
      request, *CanonicalIsolatorName(isolation.name), options_.threads, options_.seed);
  pipeline.progress = progress;
  pipeline.sync = options_.publish;  // else the folder is zipped and deleted at once
  std::string output = options_.publish
                           ? absl::StrCat(options_.model_path, "/", request.name())
                           : absl::StrCat(options_.work_dir, "/kepler-train-", getpid(), "-",
                                          absl::ToUnixNanos(absl::Now()), "/", request.name());
  auto report = TrainPipeline(workload, *isolator, pipeline, output);
  if (!report.ok()) {
    if (report.status().code() == absl::StatusCode::kFailedPrecondition) {
      return absl::InvalidArgumentError(
          absl::StrCat("cannot train pipeline ", request.name(), ": ", report.status().message()));
    }
    return report.status();
  }
  v1::TrainResult result;
  // The model archives inside are zips already (stored as they are); the rest is JSON and CSV,
  // deflated at zlib's fastest level: the default level would take seconds on xgboost's models.
  core::ZipOptions zip;
  zip.level = 1;
  zip.store_zips = true;
  ASSIGN_OR_RETURN(*result.mutable_archive(), core::ZipFolder(output, zip));
  result.set_archive_name(request.name() + ".zip");
  for (auto& model : report->models) *result.add_models() = std::move(model);
  if (!options_.publish) (void)core::RemoveAll(std::filesystem::path(output).parent_path().string());
  return result;
}

}  // namespace kepler::model::trainer
