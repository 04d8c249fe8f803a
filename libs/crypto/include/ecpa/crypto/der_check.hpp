#pragma once
#include "ecpa/crypto/bytes.hpp"

namespace ecpa::crypto {

// Whether `der` is exactly one element encoded with DER's length and form rules, all the way down:
// definite lengths in their shortest form, no trailing bytes, and the universal string types
// (OCTET STRING, BIT STRING, character strings) in primitive form only — the BER freedoms an
// attacker uses to make two parsers read one input differently. Constructed elements are walked
// recursively (at most `max_depth` deep, so hostile nesting cannot exhaust the stack). SET OF
// ordering is not checked here; structures that need it are re-encoded and compared by their parser.
bool is_strict_der(ByteView der, int max_depth = 48);

}  // namespace ecpa::crypto
