// Parsing generated XML (SVG) in tests with expat (testonly).
//
// What: SummarizeXml parses a document and returns how many elements of each name it has, the
// root element's name, and all character data; a malformed document is an error with expat's
// message and line. Why: "a person can open it" starts with "it is well-formed XML"; counting
// elements (polyline, circle, text) then checks the picture has its parts.
#ifndef KEPLER_TOOLS_CLI_TESTING_XML_SUMMARY_H_
#define KEPLER_TOOLS_CLI_TESTING_XML_SUMMARY_H_

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace kepler::model::tools::cli::testing {

struct XmlSummary {
  std::string root;                     // name of the document element
  std::map<std::string, int> elements;  // element name -> count
  std::string text;                     // character data, concatenated
};

// InvalidArgument "line N: <expat error>" when `xml` is not well-formed.
absl::StatusOr<XmlSummary> SummarizeXml(absl::string_view xml);

}  // namespace kepler::model::tools::cli::testing

#endif  // KEPLER_TOOLS_CLI_TESTING_XML_SUMMARY_H_
