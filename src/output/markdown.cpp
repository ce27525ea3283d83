#include "output/markdown.h"

#include "core/text.h"

namespace ormlint {

std::string first_paragraph_under(std::string_view markdown, std::string_view heading) {
  enum class State { Seeking, BeforeParagraph, InParagraph } state = State::Seeking;
  std::string paragraph;
  size_t pos = 0;
  while (pos <= markdown.size()) {
    size_t eol = markdown.find('\n', pos);
    if (eol == std::string_view::npos) eol = markdown.size();
    const std::string_view line = trim(markdown.substr(pos, eol - pos));
    pos = eol + 1;
    switch (state) {
      case State::Seeking:
        if (line == trim(heading)) state = State::BeforeParagraph;
        break;
      case State::BeforeParagraph:
        if (line.starts_with('#')) return {};
        if (!line.empty()) {
          paragraph = line;
          state = State::InParagraph;
        }
        break;
      case State::InParagraph:
        // A blank line or the next heading ends the paragraph.
        if (line.empty() || line.starts_with('#')) return paragraph;
        paragraph += ' ';
        paragraph += line;
        break;
    }
  }
  return paragraph;
}

}  // namespace ormlint
