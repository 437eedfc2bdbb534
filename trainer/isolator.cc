#include "trainer/isolator.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace kepler::model::trainer {
namespace {

bool Contains(const std::vector<std::string>& list, absl::string_view name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

// Column positions of `table` by role, in the order Squeeze writes them.
struct SqueezeLayout {
  std::vector<int> ratio, features, power, node_type;
};

SqueezeLayout LayoutOf(const FeatureTable& table) {
  SqueezeLayout layout;
  for (size_t c = 0; c < table.num_columns(); ++c) {
    const std::string& name = table.column_names[c];
    int index = static_cast<int>(c);
    if (Contains(table.power_columns, name)) {
      layout.power.push_back(index);
    } else if (name == kNodeTypeColumn) {
      layout.node_type.push_back(index);
    } else if (absl::StrContains(name, "ratio")) {
      layout.ratio.push_back(index);
    } else {
      layout.features.push_back(index);
    }
  }
  return layout;
}

void Renormalise(const std::vector<size_t>& ratio_columns, FeatureTable* table) {
  for (size_t row = 0; row < table->num_rows(); ++row) {
    double total = 0;
    for (size_t c : ratio_columns) total += table->columns[c][row];
    for (size_t c : ratio_columns) {
      double& value = table->columns[c][row];
      value = total > 0 ? value / total : 1.0 / ratio_columns.size();
    }
  }
}

class NoneIsolator : public Isolator {
 public:
  absl::string_view name() const override { return "none"; }
  absl::StatusOr<FeatureTable> Isolate(const FeatureTable& data,
                                       absl::string_view) const override {
    return Squeeze(data);
  }
};

class MinIsolator : public Isolator {
 public:
  absl::string_view name() const override { return "min"; }
  absl::StatusOr<FeatureTable> Isolate(const FeatureTable& data,
                                       absl::string_view) const override {
    FeatureTable table = Squeeze(data);
    for (const std::string& name : table.power_columns) {
      std::vector<double>& column = *table.MutableColumn(name);
      if (column.empty()) continue;
      double min = *std::min_element(column.begin(), column.end());
      for (double& value : column) value -= min;
    }
    return table;
  }
};

class ProfileIsolator : public Isolator {
 public:
  ProfileIsolator(ProfileSet profiles, std::vector<std::string> background)
      : profiles_(std::move(profiles)), background_(background.begin(), background.end()) {}

  absl::string_view name() const override { return "profile"; }

  absl::StatusOr<FeatureTable> Isolate(const FeatureTable& data,
                                       absl::string_view energy_source) const override {
    std::vector<size_t> target;
    for (size_t row = 0; row < data.num_rows(); ++row) {
      if (!background_.contains(ContainerNameOfId(data.IdOf(row)))) target.push_back(row);
    }
    FeatureTable table = Squeeze(data.SelectRows(target));
    if (table.num_rows() == 0) return table;
    auto profile = profiles_.find(std::string(energy_source));
    if (profile == profiles_.end()) {
      return absl::NotFoundError(absl::StrCat("no idle profile for ", energy_source));
    }
    const std::vector<double>* node_types = table.Column(kNodeTypeColumn);
    for (const std::string& name : table.power_columns) {
      std::string component = ComponentOfPowerColumn(name);
      // "package_<unit>_<component>_power" holds one unit; "<component>_power" all of them.
      bool one_unit = absl::StartsWith(name, "package_") && name != "package_power";
      std::vector<double>& column = *table.MutableColumn(name);
      for (size_t row = 0; row < column.size(); ++row) {
        int node_type = node_types ? static_cast<int>((*node_types)[row]) : 0;
        const IdlePower* idle = profile->second.Find(component, node_type);
        if (idle == nullptr) {
          return absl::NotFoundError(absl::StrCat("no idle profile for ", energy_source, " ",
                                                  component, " on node type ", node_type));
        }
        double per_unit = (idle->min_watt + idle->max_watt) / 2;
        column[row] -= one_unit ? per_unit : per_unit * idle->units;
      }
    }
    return table;
  }

 private:
  ProfileSet profiles_;
  absl::flat_hash_set<std::string> background_;
};

}  // namespace

FeatureTable Squeeze(const FeatureTable& data) {
  SqueezeLayout layout = LayoutOf(data);
  std::vector<size_t> order(data.num_rows());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return data.timestamps[a] < data.timestamps[b]; });
  FeatureTable out;
  out.has_ids = true;
  out.id_names = {std::string(kAllContainersId)};
  out.feature_columns = data.feature_columns;
  out.power_columns = data.power_columns;
  std::vector<int> columns;
  for (const auto* group : {&layout.ratio, &layout.features, &layout.power, &layout.node_type}) {
    columns.insert(columns.end(), group->begin(), group->end());
  }
  for (int c : columns) out.AddColumn(data.column_names[c], {});
  size_t summed = layout.ratio.size() + layout.features.size();
  for (size_t begin = 0; begin < order.size();) {
    size_t end = begin;
    while (end < order.size() && data.timestamps[order[end]] == data.timestamps[order[begin]]) {
      ++end;
    }
    out.timestamps.push_back(data.timestamps[order[begin]]);
    out.ids.push_back(0);
    for (size_t k = 0; k < columns.size(); ++k) {
      double sum = 0;
      for (size_t i = begin; i < end; ++i) sum += data.columns[columns[k]][order[i]];
      out.columns[k].push_back(k < summed ? sum : sum / (end - begin));
    }
    begin = end;
  }
  std::vector<size_t> ratio(layout.ratio.size());
  std::iota(ratio.begin(), ratio.end(), 0);
  Renormalise(ratio, &out);
  return out;
}

std::unique_ptr<Isolator> MakeNoneIsolator() { return std::make_unique<NoneIsolator>(); }
std::unique_ptr<Isolator> MakeMinIsolator() { return std::make_unique<MinIsolator>(); }

std::unique_ptr<Isolator> MakeProfileIsolator(ProfileSet profiles,
                                              std::vector<std::string> background_containers) {
  return std::make_unique<ProfileIsolator>(std::move(profiles), std::move(background_containers));
}

absl::StatusOr<std::unique_ptr<Isolator>> MakeSimpleIsolator(absl::string_view name) {
  if (name == "none") return MakeNoneIsolator();
  if (name == "min") return MakeMinIsolator();
  return absl::InvalidArgumentError(absl::StrCat(
      "isolator \"", name, "\" is not one of none, min (profile and trainer need inputs)"));
}

std::vector<std::string> BackgroundContainers(const Capture& idle) {
  std::vector<std::string> names;
  const SeriesTable* table = idle.Find("kepler_container_bpf_cpu_time_ms_total");
  if (table == nullptr) return names;
  for (size_t s = 0; s < table->num_series(); ++s) {
    names.emplace_back(table->Label(s, "container_name"));
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

}  // namespace kepler::model::trainer
