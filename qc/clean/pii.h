#pragma once
// [SECTION] Personal data in texts: mainland mobile numbers, resident ID numbers, bank card
// numbers and e-mail addresses; and masking that keeps a text's length in code points (so span
// annotations keep their offsets). Pure functions, any thread.
#include <string>
#include <string_view>
#include <vector>

namespace lb::qc::clean {

enum class PiiKind { Mobile, ResidentId, BankCard, Email };
std::string_view toString(PiiKind k);

struct PiiMatch {
  PiiKind kind;
  std::size_t start = 0;  // code points, [start, end)
  std::size_t end = 0;
};

// 18 characters: 17 digits and a GB 11643 check character (ISO 7064 MOD 11-2: 0-9 or X) that
// matches, with a plausible birth date. Only valid numbers count as personal data.
bool isValidResidentId(std::u32string_view id);
// Luhn checksum over 16-19 digits.
bool isValidBankCard(std::u32string_view digits);

// Full-width digits (０-９) count as digits; a number must not be part of a longer digit run.
// Bank cards may be written in groups of four separated by single spaces or hyphens.
std::vector<PiiMatch> findPii(std::u32string_view text);

// Replaces the identifying part of each match with '*', one per code point: mobile 138****5678,
// ID 110105********002X, card 6222 **** **** 7890 (first 4 and last 4 kept), e-mail a****@host.
std::u32string maskPii(std::u32string_view text, const std::vector<PiiMatch>& matches);

}  // namespace lb::qc::clean
