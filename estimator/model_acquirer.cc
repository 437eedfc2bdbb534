#include "estimator/model_acquirer.h"

#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/energy_source.h"
#include "core/file_util.h"
#include "core/model_filter.h"
#include "core/model_loader.h"
#include "core/model_metadata.h"
#include "core/status_macros.h"
#include "core/trainer_name.h"

namespace kepler::model::estimator {
namespace {

// Why `metadata` cannot answer `request`, or OK.
absl::Status Suits(const v1::ModelMetadata& metadata, const AcquireRequest& request,
                   const core::ModelFilter& filter) {
  for (const std::string& feature : metadata.features()) {
    if (!std::binary_search(request.features.begin(), request.features.end(), feature)) {
      return absl::FailedPreconditionError(absl::StrCat("model needs feature ", feature));
    }
  }
  if (metadata.output_type() != v1::OUTPUT_TYPE_UNSPECIFIED &&
      metadata.output_type() != request.output_type) {
    return absl::FailedPreconditionError(
        absl::StrCat("model predicts ", core::OutputTypeName(metadata.output_type())));
  }
  if (!request.trainer_name.empty()) {
    auto name = core::ParseModelName(metadata.model_name());
    std::string trainer = metadata.trainer().empty() && name ? name->trainer : metadata.trainer();
    if (trainer != request.trainer_name) {
      return absl::FailedPreconditionError(absl::StrCat("model trainer is ", trainer));
    }
  }
  if (!filter.Accepts(metadata)) return absl::FailedPreconditionError("model fails the filter");
  return absl::OkStatus();
}

double CoreRatio(int logical_cpus, const v1::ModelMetadata& metadata) {
  int64_t cores = metadata.machine_spec().cores();
  return logical_cpus > 0 && cores > 0 ? static_cast<double>(logical_cpus) / cores : 1.0;
}

absl::Status WithOrigin(const std::string& origin, const absl::Status& status) {
  return absl::Status(status.code(), absl::StrCat(origin, ": ", status.message()));
}

double Mae(const CachedModel& model) {
  return core::MetadataValue(model.metadata, "mae").value_or(1e300);
}

}  // namespace

ModelAcquirer::ModelAcquirer(Options options, core::HttpClient* http,
                             const ModelServerClient* model_server)
    : options_(std::move(options)), http_(http), model_server_(model_server) {}

absl::StatusOr<ModelAcquirer::Candidate> ModelAcquirer::LoadArchive(
    const std::string& bytes, const std::string& origin, const AcquireRequest& request) const {
  ASSIGN_OR_RETURN(auto entries, core::ReadZip(bytes, options_.limits));
  core::ModelFiles files;
  for (auto& entry : entries) files[entry.name] = std::move(entry.data);
  if (files.count("metadata.json") == 0) {
    return absl::InvalidArgumentError("archive holds no metadata.json");
  }
  ASSIGN_OR_RETURN(v1::ModelMetadata metadata, core::ParseModelMetadata(files["metadata.json"]));
  ASSIGN_OR_RETURN(core::ModelFilter filter, core::ModelFilter::Parse(request.filter));
  RETURN_IF_ERROR(Suits(metadata, request, filter));
  ASSIGN_OR_RETURN(std::shared_ptr<const core::Model> model, core::LoadModelFromFiles(files, ""));
  auto cached = std::make_shared<CachedModel>();
  cached->model = std::move(model);
  cached->metadata = std::move(metadata);
  cached->core_ratio = CoreRatio(options_.logical_cpus, cached->metadata);
  cached->origin = origin;
  return Candidate{std::move(cached), bytes};
}

absl::StatusOr<ModelAcquirer::Candidate> ModelAcquirer::FromModelServer(
    const EstimatorConfig& config, const AcquireRequest& request, bool weight) const {
  std::string origin = absl::StrCat("model server ", config.model_server_endpoint,
                                    request.trainer_name.empty() ? "" : " " + request.trainer_name,
                                    weight ? " (weights)" : "");
  auto archive = model_server_->FetchModel(config.model_server_endpoint, request,
                                          options_.machine_spec, weight);
  if (!archive.ok()) return WithOrigin(origin, archive.status());
  auto candidate = LoadArchive(*archive, origin, request);
  if (!candidate.ok()) return WithOrigin(origin, candidate.status());
  return candidate;
}

// The server's best model is used whenever it can be evaluated. One that cannot (a pickled class
// outside the whitelist: Unimplemented) is replaced by the best xgboost archive or weight
// document, whichever has the lower error; the error names what was missing.
absl::StatusOr<ModelAcquirer::Candidate> ModelAcquirer::FromModelServerWithFallback(
    const EstimatorConfig& config, const AcquireRequest& request) const {
  auto best = FromModelServer(config, request, /*weight=*/false);
  if (best.ok() || best.status().code() != absl::StatusCode::kUnimplemented ||
      !request.trainer_name.empty()) {
    return best;
  }
  AcquireRequest xgboost = request;
  xgboost.trainer_name = "XgboostFitTrainer";
  auto tree = FromModelServer(config, xgboost, /*weight=*/false);
  auto weights = FromModelServer(config, request, /*weight=*/true);
  if (tree.ok() && (!weights.ok() || Mae(*tree->model) <= Mae(*weights->model))) return tree;
  if (weights.ok()) return weights;
  return absl::UnimplementedError(absl::StrCat(best.status().message(), "; ",
                                               tree.status().message(), "; ",
                                               weights.status().message()));
}

absl::StatusOr<ModelAcquirer::Candidate> ModelAcquirer::FromUrl(
    const std::string& url, const AcquireRequest& request) const {
  auto body = core::OkBody(http_->Get(url, options_.fetch));
  if (!body.ok()) return WithOrigin(url, body.status());
  auto candidate = LoadArchive(*body, url, request);
  if (!candidate.ok()) return WithOrigin(url, candidate.status());
  return candidate;
}

absl::StatusOr<ModelAcquirer::Candidate> ModelAcquirer::FromLocal(
    const AcquireRequest& request) const {
  std::string base = absl::StrCat(options_.download_path, "/", request.source, "/",
                                  core::OutputTypeName(request.output_type));
  absl::StatusOr<std::string> bytes = absl::NotFoundError("no local copy");
  if (core::FileExists(base + "/metadata.json")) {
    bytes = core::ZipFolder(base);
  } else if (core::FileExists(base + ".zip")) {
    bytes = core::ReadFile(base + ".zip");
    base += ".zip";
  }
  std::string origin = "local " + base;
  if (!bytes.ok()) return WithOrigin(origin, bytes.status());
  auto candidate = LoadArchive(*bytes, origin, request);
  if (!candidate.ok()) return WithOrigin(origin, candidate.status());
  return candidate;
}

void ModelAcquirer::SaveLocalCopy(const AcquireRequest& request, const std::string& bytes) const {
  std::string dir = absl::StrCat(options_.download_path, "/", request.source);
  absl::Status status = core::MakeDirs(dir);
  if (status.ok()) {
    // A cache on the first answer's path: no fsync (~3 ms here). A copy torn by a crash fails
    // its zip checks at the next start, and the model is fetched again.
    status = core::WriteFileAtomic(
        absl::StrCat(dir, "/", core::OutputTypeName(request.output_type), ".zip"), bytes,
        core::Durability::kVolatile);
  }
  if (!status.ok()) std::cerr << "estimator: cannot keep a local copy: " << status << "\n";
}

absl::StatusOr<std::shared_ptr<const CachedModel>> ModelAcquirer::Acquire(
    const AcquireRequest& request) const {
  RETURN_IF_ERROR(core::ModelFilter::Parse(request.filter).status());
  EstimatorConfig config = options_.config();
  std::vector<absl::Status> failures;
  auto accept = [&](absl::StatusOr<Candidate> candidate, bool remote) -> bool {
    if (!candidate.ok()) {
      failures.push_back(candidate.status());
      return false;
    }
    if (remote && !options_.download_path.empty()) SaveLocalCopy(request, candidate->archive);
    std::cerr << "estimator: loaded " << candidate->model->metadata.model_name() << " from "
              << candidate->model->origin << "\n";
    return true;
  };
  if (config.model_server_enable) {
    auto candidate = FromModelServerWithFallback(config, request);
    if (accept(candidate, true)) return candidate->model;
  }
  for (const std::string& url : InitModelUrls(config, request.source, request.output_type)) {
    auto candidate = FromUrl(url, request);
    if (accept(candidate, true)) return candidate->model;
  }
  if (!options_.download_path.empty()) {
    auto candidate = FromLocal(request);
    if (accept(candidate, false)) return candidate->model;
  }
  std::vector<std::string> reasons;
  bool unsupported = false;
  for (const absl::Status& failure : failures) {
    reasons.emplace_back(failure.message());
    unsupported |= failure.code() == absl::StatusCode::kUnimplemented;
  }
  std::string message = absl::StrCat(
      "failed to get ", core::OutputTypeName(request.output_type), " model for ", request.source,
      ": ", reasons.empty() ? "no model source is configured" : absl::StrJoin(reasons, "; "));
  if (unsupported) return absl::UnimplementedError(message);
  return absl::NotFoundError(message);
}

}  // namespace kepler::model::estimator
