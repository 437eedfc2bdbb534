// The error thresholds a model must meet to be exported to a model database (contract §7.4).
//
// A model is exported when mae <= 100 W, mape <= 100 % and (mape <= 20 % or mae <= 10 W): small
// absolute errors are accepted whatever the relative error (low-power components), large ones
// only when they are small relative to the power. The comparison is on the values as recorded in
// the model's metadata, like the reference's; a mape of -1 (no test row with positive power)
// therefore passes both mape rules and the model is judged by its mae.
#ifndef KEPLER_TOOLS_CLI_EXPORT_THRESHOLDS_H_
#define KEPLER_TOOLS_CLI_EXPORT_THRESHOLDS_H_

#include <string>

namespace kepler::model::tools::cli {

inline constexpr double kExportMaxMae = 100;
inline constexpr double kExportMaxMape = 100;
inline constexpr double kExportGoodMape = 20;
inline constexpr double kExportGoodMae = 10;

// "" when a model with these errors is exported; otherwise the rule it breaks, e.g.
// "mape 25.00 > 20 and mae 12.00 > 10". NaN errors are never exported.
std::string ExportRejection(double mae, double mape);

}  // namespace kepler::model::tools::cli

#endif  // KEPLER_TOOLS_CLI_EXPORT_THRESHOLDS_H_
