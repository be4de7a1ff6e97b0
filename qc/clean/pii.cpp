#include "qc/clean/pii.h"

#include <algorithm>

namespace lb::qc::clean {

std::string_view toString(PiiKind k) {
  switch (k) {
    case PiiKind::Mobile: return "mobile";
    case PiiKind::ResidentId: return "resident_id";
    case PiiKind::BankCard: return "bank_card";
    case PiiKind::Email: return "email";
  }
  return "";
}

namespace {
int digitValue(char32_t c) {
  if (c >= U'0' && c <= U'9') return static_cast<int>(c - U'0');
  if (c >= U'０' && c <= U'９') return static_cast<int>(c - U'０');
  return -1;
}
bool isDigit(char32_t c) { return digitValue(c) >= 0; }
bool isX(char32_t c) { return c == U'X' || c == U'x' || c == U'Ｘ' || c == U'ｘ'; }
bool isEmailLocal(char32_t c) {
  return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z') || (c >= U'0' && c <= U'9') || c == U'.' || c == U'_' ||
         c == U'%' || c == U'+' || c == U'-';
}
bool isDomainChar(char32_t c) {
  return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z') || (c >= U'0' && c <= U'9') || c == U'.' || c == U'-';
}
bool isAsciiAlpha(char32_t c) { return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z'); }
}  // namespace

bool isValidResidentId(std::u32string_view id) {
  if (id.size() != 18) return false;
  static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static const char32_t checks[11] = {U'1', U'0', U'X', U'9', U'8', U'7', U'6', U'5', U'4', U'3', U'2'};
  int sum = 0;
  for (int i = 0; i < 17; ++i) {
    const int d = digitValue(id[i]);
    if (d < 0) return false;
    sum += d * weights[i];
  }
  const char32_t expected = checks[sum % 11];
  const char32_t last = id[17];
  const bool checkOk = expected == U'X' ? isX(last) : digitValue(last) == static_cast<int>(expected - U'0');
  if (!checkOk) return false;
  // Birth date YYYYMMDD at positions 6..13: a wrong date means a random number, not an ID.
  auto num = [&](int from, int len) {
    int v = 0;
    for (int i = from; i < from + len; ++i) v = v * 10 + digitValue(id[i]);
    return v;
  };
  const int year = num(6, 4), month = num(10, 2), day = num(12, 2);
  return year >= 1800 && year <= 2100 && month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

bool isValidBankCard(std::u32string_view digits) {
  if (digits.size() < 16 || digits.size() > 19) return false;
  int sum = 0;
  bool twice = false;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    int d = digitValue(*it);
    if (d < 0) return false;
    if (twice) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    twice = !twice;
  }
  return sum % 10 == 0;
}

std::vector<PiiMatch> findPii(std::u32string_view t) {
  std::vector<PiiMatch> out;
  const std::size_t n = t.size();
  // Digit runs (an ID may end in X).
  for (std::size_t i = 0; i < n;) {
    if (!isDigit(t[i])) {
      ++i;
      continue;
    }
    std::size_t e = i;
    while (e < n && isDigit(t[e])) ++e;
    // A letter or digit glued to the run makes it part of a code, not a number on its own.
    const bool gluedBefore = i > 0 && isAsciiAlpha(t[i - 1]);
    std::size_t runEnd = e;
    if (e - i == 17 && e < n && isX(t[e])) runEnd = e + 1;
    const bool gluedAfter = runEnd < n && (isAsciiAlpha(t[runEnd]) || isDigit(t[runEnd]));
    const std::size_t len = runEnd - i;
    if (!gluedBefore && !gluedAfter) {
      const auto run = t.substr(i, len);
      if (len == 11 && digitValue(run[0]) == 1 && digitValue(run[1]) >= 3) {
        out.push_back({PiiKind::Mobile, i, runEnd});
      } else if (len == 18 && isValidResidentId(run)) {
        out.push_back({PiiKind::ResidentId, i, runEnd});
      } else if (len >= 16 && len <= 19 && isValidBankCard(run)) {
        out.push_back({PiiKind::BankCard, i, runEnd});
      } else if (len == 4) {
        // Grouped card: 4 digits then (sep + 4 digits) x3, optionally sep + 1-3 digits.
        std::u32string digits(run);
        std::size_t p = runEnd;
        int groups = 1;
        while (p < n && (t[p] == U' ' || t[p] == U'-')) {
          std::size_t q = p + 1, k = q;
          while (k < n && isDigit(t[k])) ++k;
          const std::size_t g = k - q;
          if (g == 0 || g > 4) break;
          digits += t.substr(q, g);
          p = k;
          ++groups;
          if (g < 4) break;
        }
        if (groups >= 4 && (p >= n || !isDigit(t[p])) && isValidBankCard(digits)) {
          out.push_back({PiiKind::BankCard, i, p});
          i = p;
          continue;
        }
      }
    }
    i = runEnd;
  }
  // E-mail: local@domain.tld around each '@'.
  for (std::size_t at = 0; at < n; ++at) {
    if (t[at] != U'@' && t[at] != U'＠') continue;
    std::size_t s = at;
    while (s > 0 && isEmailLocal(t[s - 1])) --s;
    std::size_t e = at + 1;
    while (e < n && isDomainChar(t[e])) ++e;
    while (e > at + 1 && (t[e - 1] == U'.' || t[e - 1] == U'-')) --e;
    const auto domain = t.substr(at + 1, e - at - 1);
    const auto dot = domain.rfind(U'.');
    if (s == at || dot == std::u32string_view::npos || dot == 0 || domain.size() - dot - 1 < 2) continue;
    bool tldAlpha = true;
    for (std::size_t k = dot + 1; k < domain.size(); ++k) tldAlpha = tldAlpha && isAsciiAlpha(domain[k]);
    if (tldAlpha) out.push_back({PiiKind::Email, s, e});
  }
  std::sort(out.begin(), out.end(), [](const PiiMatch& a, const PiiMatch& b) { return a.start < b.start; });
  return out;
}

std::u32string maskPii(std::u32string_view text, const std::vector<PiiMatch>& matches) {
  std::u32string out(text);
  for (const auto& m : matches) {
    std::size_t keepHead = 0, keepTail = 0;
    switch (m.kind) {
      case PiiKind::Mobile: keepHead = 3; keepTail = 4; break;
      case PiiKind::ResidentId: keepHead = 6; keepTail = 4; break;
      case PiiKind::BankCard: keepHead = 4; keepTail = 4; break;
      case PiiKind::Email: keepHead = 1; keepTail = 0; break;
    }
    std::size_t maskEnd = m.end;
    if (m.kind == PiiKind::Email) {
      maskEnd = m.start;
      while (maskEnd < m.end && out[maskEnd] != U'@' && out[maskEnd] != U'＠') ++maskEnd;
    }
    // Count digits from both ends for cards (separators stay as they are).
    std::size_t headLeft = keepHead;
    std::size_t from = m.start;
    while (from < maskEnd && headLeft > 0) {
      if (m.kind != PiiKind::BankCard || isDigit(out[from])) --headLeft;
      ++from;
    }
    std::size_t tailLeft = keepTail;
    std::size_t to = maskEnd;
    while (to > from && tailLeft > 0) {
      if (m.kind != PiiKind::BankCard || isDigit(out[to - 1]) || isX(out[to - 1])) --tailLeft;
      --to;
    }
    for (std::size_t k = from; k < to; ++k)
      if (m.kind != PiiKind::BankCard || isDigit(out[k])) out[k] = U'*';
  }
  return out;
}

}  // namespace lb::qc::clean
