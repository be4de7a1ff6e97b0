#include "labeling/import/encoding.h"

#include <iconv.h>
#include <uchardet/uchardet.h>
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <cerrno>
#include <memory>

namespace lb::labeling {

namespace {

// Decodes one UTF-8 sequence at s[i]; returns its length, or 0 if it is malformed.
int utf8SequenceLength(std::string_view s, std::size_t i, char32_t* out = nullptr) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    if (out) *out = b0;
    return 1;
  }
  int len = 0;
  char32_t cp = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) len = 2, cp = b0 & 0x1F;
  else if (b0 >= 0xE0 && b0 <= 0xEF) len = 3, cp = b0 & 0x0F;
  else if (b0 >= 0xF0 && b0 <= 0xF4) len = 4, cp = b0 & 0x07;
  else return 0;
  if (i + len > s.size()) return 0;
  for (int k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  // Overlongs, surrogates and values past U+10FFFF are malformed.
  if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
    return 0;
  if (out) *out = cp;
  return len;
}

struct Utf8Census {
  std::size_t multiByte = 0;  // well-formed non-ASCII sequences
  std::size_t invalid = 0;    // bytes that start no well-formed sequence
};

Utf8Census censusUtf8(std::string_view s) {
  Utf8Census c;
  for (std::size_t i = 0; i < s.size();) {
    const int n = utf8SequenceLength(s, i);
    if (n == 0) {
      ++c.invalid;
      ++i;
    } else {
      if (n > 1) ++c.multiByte;
      i += n;
    }
  }
  return c;
}

// UTF-16 without BOM: ASCII, digits and line breaks leave a NUL in every other byte.
// Returns "UTF-16LE", "UTF-16BE" or "".
std::string sniffUtf16(std::string_view s) {
  const std::size_t n = std::min<std::size_t>(s.size(), 8192) & ~std::size_t{1};
  if (n < 2) return "";
  std::size_t zeroEven = 0, zeroOdd = 0;
  for (std::size_t i = 0; i < n; i += 2) {
    if (s[i] == 0) ++zeroEven;
    if (s[i + 1] == 0) ++zeroOdd;
  }
  const std::size_t units = n / 2;
  // A quarter of the units carrying an ASCII character is plenty: real UTF-8 or GBK text has no
  // NULs at all, binary files have them at both parities. The other parity may hold a few NULs
  // too (U+4E00 "一" is 00 4E in UTF-16LE), so it only has to be clearly rarer.
  if (zeroOdd * 4 >= units && zeroEven * 4 <= zeroOdd) return "UTF-16LE";
  if (zeroEven * 4 >= units && zeroOdd * 4 <= zeroEven) return "UTF-16BE";
  return "";
}

bool looksBinary(std::string_view s) {
  const std::size_t n = std::min<std::size_t>(s.size(), 8192);
  std::size_t control = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b == 0) return true;
    if (b < 0x20 && b != '\n' && b != '\r' && b != '\t' && b != '\f' && b != 0x1B) ++control;
  }
  return control * 20 > n;  // more than 5 % control characters
}

class Iconv {
 public:
  Iconv(const std::string& to, const std::string& from) : m_cd(iconv_open(to.c_str(), from.c_str())) {}
  ~Iconv() {
    if (ok()) iconv_close(m_cd);
  }
  Iconv(const Iconv&) = delete;
  Iconv& operator=(const Iconv&) = delete;
  bool ok() const { return m_cd != reinterpret_cast<iconv_t>(-1); }
  iconv_t get() const { return m_cd; }

 private:
  iconv_t m_cd;
};

// Strict conversion; on failure returns false and the offset of the offending input byte.
bool iconvAll(const std::string& from, std::string_view in, std::string& out, std::size_t& failOffset, bool& unknown) {
  Iconv cd("UTF-8", from);
  unknown = !cd.ok();
  if (unknown) return false;
  out.clear();
  out.resize(in.size() * 2 + 16);
  char* inPtr = const_cast<char*>(in.data());
  std::size_t inLeft = in.size();
  std::size_t produced = 0;
  while (inLeft > 0) {
    char* outPtr = out.data() + produced;
    std::size_t outLeft = out.size() - produced;
    const std::size_t r = iconv(cd.get(), &inPtr, &inLeft, &outPtr, &outLeft);
    produced = out.size() - outLeft;
    if (r == static_cast<std::size_t>(-1)) {
      if (errno == E2BIG) {
        out.resize(out.size() * 2);
        continue;
      }
      failOffset = in.size() - inLeft;  // EILSEQ or EINVAL (truncated at the end)
      return false;
    }
  }
  out.resize(produced);
  return true;
}

bool isChinese(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x3000 && c <= 0x303F) ||
         (c >= 0xFF00 && c <= 0xFFEF) || (c >= 0x20000 && c <= 0x2FA1F) || (c >= 0xF900 && c <= 0xFAFF);
}

// Fraction of non-ASCII characters in `utf8` that are Chinese (Han, CJK punctuation, full-width).
double chineseShare(std::string_view utf8) {
  std::size_t nonAscii = 0, chinese = 0;
  for (std::size_t i = 0; i < utf8.size();) {
    char32_t cp = 0;
    const int n = utf8SequenceLength(utf8, i, &cp);
    if (n == 0) return 0;
    if (cp >= 0x80) {
      ++nonAscii;
      if (isChinese(cp)) ++chinese;
    }
    i += n;
  }
  return nonAscii ? static_cast<double>(chinese) / static_cast<double>(nonAscii) : 0.0;
}

std::string uchardetGuess(std::string_view s) {
  std::unique_ptr<std::remove_pointer_t<uchardet_t>, void (*)(uchardet_t)> ud(uchardet_new(), uchardet_delete);
  // The first 256 KiB is enough to decide and keeps detection cheap on big files.
  uchardet_handle_data(ud.get(), s.data(), std::min<std::size_t>(s.size(), 256 * 1024));
  uchardet_data_end(ud.get());
  std::string name = uchardet_get_charset(ud.get());
  if (name == "ASCII") name = "UTF-8";
  if (name == "GB2312" || name == "GBK" || name == "HZ-GB-2312") name = "GB18030";
  return name;
}

std::int64_t lineOfUtf16Offset(std::string_view bytes, std::size_t offset, bool littleEndian) {
  std::int64_t line = 1;
  for (std::size_t i = 0; i + 1 < offset && i + 1 < bytes.size(); i += 2) {
    const char lo = littleEndian ? bytes[i] : bytes[i + 1];
    const char hi = littleEndian ? bytes[i + 1] : bytes[i];
    if (lo == '\n' && hi == 0) ++line;
  }
  return line;
}

}  // namespace

std::int64_t lineOfOffset(std::string_view bytes, std::size_t offset) {
  std::int64_t line = 1;
  for (std::size_t i = 0; i < offset && i < bytes.size(); ++i)
    if (bytes[i] == '\n') ++line;
  return line;
}

bool isValidUtf8(std::string_view s, std::size_t* badOffset) {
  for (std::size_t i = 0; i < s.size();) {
    const int n = utf8SequenceLength(s, i);
    if (n == 0) {
      if (badOffset) *badOffset = i;
      return false;
    }
    i += n;
  }
  return true;
}

std::string detectEncoding(std::string_view s) {
  if (s.size() >= 3 && s.substr(0, 3) == "\xEF\xBB\xBF") return "UTF-8";
  if (s.size() >= 2 && s.substr(0, 2) == "\xFF\xFE") return "UTF-16LE";
  if (s.size() >= 2 && s.substr(0, 2) == "\xFE\xFF") return "UTF-16BE";
  if (auto u16 = sniffUtf16(s); !u16.empty()) return u16;
  if (looksBinary(s)) return "";
  const auto census = censusUtf8(s);
  if (census.invalid == 0) return "UTF-8";
  // Mostly well-formed UTF-8 with a few broken bytes: still UTF-8 (the broken lines get rejected).
  if (census.multiByte >= 8 && census.invalid * 20 <= census.multiByte) return "UTF-8";
  std::string gb;
  std::size_t failAt = 0;
  bool unknown = false;
  if (iconvAll("GB18030", s, gb, failAt, unknown) && chineseShare(gb) >= 0.6) return "GB18030";
  return uchardetGuess(s);
}

Result<std::string> convertToUtf8(std::string_view bytes, const std::string& encoding, const std::string& name) {
  std::string out;
  std::size_t failAt = 0;
  bool unknown = false;
  if (iconvAll(encoding, bytes, out, failAt, unknown)) return out;
  if (unknown)
    return makeError(ErrorCode::Unsupported,
                     name + ": encoding " + encoding + " is not supported here; convert the file to UTF-8 first");
  const bool utf16 = encoding.rfind("UTF-16", 0) == 0;
  const std::int64_t line = utf16 ? lineOfUtf16Offset(bytes, failAt, encoding != "UTF-16BE") : lineOfOffset(bytes, failAt);
  const bool truncated = failAt + 4 > bytes.size();
  return makeError(ErrorCode::BadInput,
                   name + ": line " + std::to_string(line) + " (byte " + std::to_string(failAt) + "): " +
                       (truncated ? "the file ends in the middle of a character"
                                  : "bytes that are not valid " + encoding) +
                       "; the file is damaged or not in " + encoding + " — re-save it as UTF-8");
}

Result<DecodedText> decodeText(std::string_view bytes, const std::string& name) {
  DecodedText d;
  const bool utf8Bom = bytes.size() >= 3 && bytes.substr(0, 3) == "\xEF\xBB\xBF";
  const bool bom16 = bytes.size() >= 2 && (bytes.substr(0, 2) == "\xFF\xFE" || bytes.substr(0, 2) == "\xFE\xFF");
  d.encoding = detectEncoding(bytes);
  if (d.encoding.empty())
    return makeError(ErrorCode::BadInput,
                     name + ": not a text file (binary data, or an encoding that cannot be recognised); "
                            "save it as UTF-8 text");
  if (d.encoding == "UTF-8") {
    std::string_view body = utf8Bom ? bytes.substr(3) : bytes;
    d.utf8.assign(body);
    d.invalidUtf8 = !isValidUtf8(body);
    if (utf8Bom) d.encoding = "UTF-8-BOM";
    return d;
  }
  std::string_view body = bytes;
  if (bom16) body = bytes.substr(2);  // the BOM fixed the byte order; do not carry U+FEFF into the text
  if (d.encoding.rfind("UTF-16", 0) == 0 && body.size() % 2 != 0)
    return makeError(ErrorCode::BadInput, name + ": looks like " + d.encoding +
                                              " but has an odd number of bytes; the file is truncated");
  auto converted = convertToUtf8(body, d.encoding, name);
  if (!converted) return converted.error();
  d.utf8 = std::move(*converted);
  // A UTF-16 file without BOM may still start with U+FEFF written as a character.
  if (d.utf8.rfind("\xEF\xBB\xBF", 0) == 0) d.utf8.erase(0, 3);
  return d;
}

std::string toNfc(std::string_view utf8) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) throw std::runtime_error("ICU NFC normaliser unavailable");
  // Most text is already NFC: check first so the common case copies once.
  const icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  if (nfc->isNormalized(u, status) && U_SUCCESS(status)) return std::string(utf8);
  status = U_ZERO_ERROR;
  const icu::UnicodeString n = nfc->normalize(u, status);
  if (U_FAILURE(status)) throw std::runtime_error("ICU NFC normalisation failed");
  std::string out;
  n.toUTF8String(out);
  return out;
}

}  // namespace lb::labeling
