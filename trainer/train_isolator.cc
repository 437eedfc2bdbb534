// The trainer isolator (contract §6.6, with §11.18 fixed); declared in isolator.h.
#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/energy_source.h"
#include "trainer/isolator.h"

namespace kepler::model::trainer {
namespace {

// The reference's is_better: a model correlating at least `threshold` wins on lower error (ties:
// higher correlation); below the threshold, a model not less correlated than the best wins on
// lower error.
bool IsBetter(bool have_best, double best_err, double best_corr, double err, double corr,
              double threshold) {
  if (!have_best) return true;
  if (corr >= threshold) return err == best_err ? corr > best_corr : err < best_err;
  return best_corr < threshold && corr >= best_corr && err < best_err;
}

bool ContainsAny(absl::string_view name, const std::vector<std::string>& hints) {
  return std::any_of(hints.begin(), hints.end(),
                     [&](const std::string& hint) { return absl::StrContains(name, hint); });
}

// Per-timestamp aggregates of the container-level input on its distinct timestamps.
struct NodeView {
  std::vector<double> grid;                     // distinct timestamps
  std::vector<int32_t> position;                // grid position of each input row
  std::map<std::string, std::vector<double>> power;  // component -> node watts per grid entry
  FeatureTable background_usage;                // background features summed, node_type mean
};

NodeView ViewOf(const FeatureTable& data, const std::vector<char>& is_background,
                const std::vector<std::string>& components) {
  NodeView view;
  for (size_t row = 0; row < data.num_rows(); ++row) {
    if (view.grid.empty() || view.grid.back() != data.timestamps[row]) {
      view.grid.push_back(data.timestamps[row]);
    }
    view.position.push_back(static_cast<int32_t>(view.grid.size() - 1));
  }
  size_t n = view.grid.size();
  std::vector<double> rows_at(n, 0);
  for (int32_t g : view.position) rows_at[g] += 1;
  auto mean_of = [&](const std::vector<double>& column) {
    std::vector<double> mean(n, 0);
    for (size_t row = 0; row < column.size(); ++row) mean[view.position[row]] += column[row];
    for (size_t g = 0; g < n; ++g) mean[g] /= rows_at[g];
    return mean;
  };
  for (const std::string& component : components) view.power[component].assign(n, 0);
  for (const std::string& name : data.power_columns) {
    std::vector<double> mean = mean_of(*data.Column(name));
    std::vector<double>& node = view.power[ComponentOfPowerColumn(name)];
    if (node.size() != n) continue;  // a column of another source's component
    for (size_t g = 0; g < n; ++g) node[g] += mean[g];
  }
  FeatureTable& usage = view.background_usage;
  usage.timestamps = view.grid;
  for (const std::string& name : data.feature_columns) {
    const std::vector<double>& column = *data.Column(name);
    std::vector<double> sum(n, 0);
    for (size_t row = 0; row < column.size(); ++row) {
      if (is_background[row]) sum[view.position[row]] += column[row];
    }
    usage.AddColumn(name, std::move(sum));
  }
  usage.feature_columns = data.feature_columns;
  if (const std::vector<double>* types = data.Column(kNodeTypeColumn)) {
    usage.AddColumn(std::string(kNodeTypeColumn), mean_of(*types));
  }
  return view;
}

// Best correlation of the target's features with dynamic power per grid entry; NaN -> 0.
double TargetCorrelation(const FeatureTable& target, const std::vector<int32_t>& position,
                         const std::vector<double>& dynamic, const std::string& component) {
  FeatureTable probe;
  probe.timestamps = target.timestamps;
  for (const std::string& name : target.feature_columns) {
    probe.AddColumn(name, *target.Column(name));
  }
  probe.feature_columns = target.feature_columns;
  std::vector<double> power;
  for (int32_t g : position) power.push_back(dynamic[g]);
  probe.AddColumn(PowerColumnName(component), std::move(power));
  probe.power_columns = {PowerColumnName(component)};
  double best = 0;
  bool any = false;
  for (double corr : FeatureCorrelations(probe, component)) {
    if (std::isnan(corr)) continue;
    best = any ? std::max(best, corr) : corr;
    any = true;
  }
  return best;
}

class TrainIsolator : public Isolator {
 public:
  explicit TrainIsolator(TrainIsolatorOptions options) : options_(std::move(options)) {}
  absl::string_view name() const override { return "trainer"; }

  absl::StatusOr<FeatureTable> Isolate(const FeatureTable& data,
                                       absl::string_view energy_source) const override;

 private:
  bool IsBackground(absl::string_view container_name) const;
  // Dynamic power per component and grid entry of the best candidate.
  absl::StatusOr<std::map<std::string, std::vector<double>>> BestDynamicPower(
      const NodeView& view, const FeatureTable& target, const std::vector<int32_t>& position,
      const std::vector<std::string>& components) const;

  TrainIsolatorOptions options_;
};

bool TrainIsolator::IsBackground(absl::string_view name) const {
  const auto& known = options_.background_containers;
  if (!known.empty()) return std::find(known.begin(), known.end(), name) != known.end();
  if (!options_.target_hints.empty()) return !ContainsAny(name, options_.target_hints);
  if (!options_.background_hints.empty()) return ContainsAny(name, options_.background_hints);
  return false;
}

absl::StatusOr<std::map<std::string, std::vector<double>>> TrainIsolator::BestDynamicPower(
    const NodeView& view, const FeatureTable& target, const std::vector<int32_t>& position,
    const std::vector<std::string>& components) const {
  std::map<std::string, std::vector<double>> best;
  double best_err = 0, best_corr = 0;
  bool have_best = false;
  std::string last_error = "no candidate models";
  for (const BackgroundPowerPredictor& candidate : options_.candidates) {
    absl::StatusOr<ComponentWatts> predicted = candidate.predict(view.background_usage);
    if (!predicted.ok()) {
      last_error = absl::StrCat(candidate.name, ": ", predicted.status().message());
      continue;
    }
    std::map<std::string, std::vector<double>> dynamic;
    for (const std::string& component : components) {
      auto it = predicted->find(component);
      if (it == predicted->end() || it->second.size() != view.grid.size()) {
        last_error = absl::StrCat(candidate.name, ": no prediction for ", component);
        dynamic.clear();
        break;
      }
      std::vector<double>& watts = dynamic[component];
      for (size_t g = 0; g < view.grid.size(); ++g) {
        watts.push_back(std::max(0.0, view.power.at(component)[g] - it->second[g]));
      }
    }
    if (dynamic.empty()) continue;
    double corr = TargetCorrelation(target, position, dynamic[components[0]], components[0]);
    if (IsBetter(have_best, best_err, best_corr, candidate.mae, corr,
                 options_.correlation_threshold)) {
      best = std::move(dynamic);
      best_err = candidate.mae;
      best_corr = corr;
      have_best = true;
    }
  }
  if (!have_best) {
    return absl::FailedPreconditionError(
        absl::StrCat("no background power model predicted (", last_error, ")"));
  }
  return best;
}

absl::StatusOr<FeatureTable> TrainIsolator::Isolate(const FeatureTable& data,
                                                    absl::string_view energy_source) const {
  const std::vector<std::string>& components = core::ComponentsOf(energy_source);
  if (components.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("unknown energy source ", energy_source));
  }
  std::vector<char> is_background(data.num_rows(), 0);
  std::vector<size_t> target_rows;
  for (size_t row = 0; row < data.num_rows(); ++row) {
    is_background[row] = IsBackground(ContainerNameOfId(data.IdOf(row)));
    if (!is_background[row]) target_rows.push_back(row);
  }
  FeatureTable target = Squeeze(data.SelectRows(target_rows));
  if (target.num_rows() == 0) return target;
  NodeView view = ViewOf(data, is_background, components);
  std::vector<int32_t> position;
  for (double t : target.timestamps) {
    position.push_back(std::lower_bound(view.grid.begin(), view.grid.end(), t) - view.grid.begin());
  }
  auto dynamic = BestDynamicPower(view, target, position, components);
  if (!dynamic.ok()) return dynamic.status();
  for (const std::string& name : target.power_columns) {
    std::string component = ComponentOfPowerColumn(name);
    if (!dynamic->count(component)) continue;
    std::vector<double>& column = *target.MutableColumn(name);
    for (size_t row = 0; row < column.size(); ++row) {
      int32_t g = position[row];
      double value = column[row] / view.power.at(component)[g] * dynamic->at(component)[g];
      column[row] = std::isfinite(value) ? value : 0;
    }
  }
  return target;
}

}  // namespace

std::unique_ptr<Isolator> MakeTrainIsolator(TrainIsolatorOptions options) {
  return std::make_unique<TrainIsolator>(std::move(options));
}

}  // namespace kepler::model::trainer
