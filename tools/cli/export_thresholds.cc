#include "tools/cli/export_thresholds.h"

#include <cmath>

#include "absl/strings/str_format.h"

namespace kepler::model::tools::cli {

std::string ExportRejection(double mae, double mape) {
  if (std::isnan(mae) || std::isnan(mape)) return "errors unknown";
  if (mae > kExportMaxMae) return absl::StrFormat("mae %.2f > %g", mae, kExportMaxMae);
  if (mape > kExportMaxMape) return absl::StrFormat("mape %.2f > %g", mape, kExportMaxMape);
  if (mape > kExportGoodMape && mae > kExportGoodMae) {
    return absl::StrFormat("mape %.2f > %g and mae %.2f > %g", mape, kExportGoodMape, mae,
                           kExportGoodMae);
  }
  return "";
}

}  // namespace kepler::model::tools::cli
