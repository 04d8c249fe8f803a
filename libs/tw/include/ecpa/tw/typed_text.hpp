#pragma once
// What a person types or pastes into an ID or account field, made into what they meant: surrounding spaces
// and line breaks gone (a value copied from a document or a mail often carries them), full-width letters,
// digits and punctuation (ＡＢＣ１２３, typed with a Chinese input method in full-width mode) folded to
// ASCII, lower case made upper. Every identifier check in the project runs on this, never on the raw text,
// so the page and the server agree on what was typed.

#include <string>
#include <string_view>

namespace ecpa::tw {

// Folds U+FF01–U+FF5E to U+0021–U+007E and U+3000 (ideographic space) and U+00A0 (no-break space) to a
// space, upper-cases a–z, then trims ASCII whitespace from both ends. Any other byte passes unchanged (the
// check that follows refuses it), so the result is never longer than the input.
std::string fold_typed_identifier(std::string_view typed);

}  // namespace ecpa::tw
