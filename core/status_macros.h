// Early-return helpers for absl::Status and absl::StatusOr (Abseil 20220623 ships none).
#ifndef KEPLER_CORE_STATUS_MACROS_H_
#define KEPLER_CORE_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define KEPLER_STATUS_CONCAT_INNER_(a, b) a##b
#define KEPLER_STATUS_CONCAT_(a, b) KEPLER_STATUS_CONCAT_INNER_(a, b)

// Returns the status of `expr` from the current function when it is not OK.
#define RETURN_IF_ERROR(expr)                       \
  do {                                              \
    ::absl::Status kepler_status_ = (expr);         \
    if (!kepler_status_.ok()) return kepler_status_; \
  } while (0)

// `ASSIGN_OR_RETURN(auto x, MakeX());` assigns the value or returns the error.
#define ASSIGN_OR_RETURN(lhs, rexpr) \
  ASSIGN_OR_RETURN_IMPL_(KEPLER_STATUS_CONCAT_(kepler_statusor_, __LINE__), lhs, rexpr)

#define ASSIGN_OR_RETURN_IMPL_(statusor, lhs, rexpr) \
  auto statusor = (rexpr);                           \
  if (!statusor.ok()) return statusor.status();      \
  lhs = std::move(*statusor)

#endif  // KEPLER_CORE_STATUS_MACROS_H_
