#include "tools/cli/testing/xml_summary.h"

#include <expat.h>

#include "absl/strings/str_cat.h"

namespace kepler::model::tools::cli::testing {
namespace {

void XMLCALL OnStart(void* data, const XML_Char* name, const XML_Char**) {
  auto* summary = static_cast<XmlSummary*>(data);
  if (summary->root.empty()) summary->root = name;
  ++summary->elements[name];
}

void XMLCALL OnText(void* data, const XML_Char* text, int length) {
  static_cast<XmlSummary*>(data)->text.append(text, length);
}

}  // namespace

absl::StatusOr<XmlSummary> SummarizeXml(absl::string_view xml) {
  XmlSummary summary;
  XML_Parser parser = XML_ParserCreate("UTF-8");
  XML_SetUserData(parser, &summary);
  XML_SetStartElementHandler(parser, OnStart);
  XML_SetCharacterDataHandler(parser, OnText);
  bool ok = XML_Parse(parser, xml.data(), static_cast<int>(xml.size()), /*isFinal=*/1) !=
            XML_STATUS_ERROR;
  std::string error = ok ? ""
                         : absl::StrCat("line ", XML_GetCurrentLineNumber(parser), ": ",
                                        XML_ErrorString(XML_GetErrorCode(parser)));
  XML_ParserFree(parser);
  if (!ok) return absl::InvalidArgumentError(error);
  return summary;
}

}  // namespace kepler::model::tools::cli::testing
